// Progressive enhancement only: the page works without this file.
// Filter boxes marked data-suggest get name completion from /api/suggest.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(boxes, function (input) {
    var kind = input.getAttribute("data-suggest");
    var list = document.getElementById("suggest-" + kind);
    if (!list) { return; }
    input.setAttribute("list", list.id);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var prefix = input.value.trim();
      if (prefix.length < 2) { return; }
      timer = setTimeout(function () {
        fetch("/api/suggest?kind=" + encodeURIComponent(kind) + "&prefix=" + encodeURIComponent(prefix))
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (data) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            data.items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.id;
              option.label = item.name_ar + " — " + item.name_en;
              option.textContent = item.name_ar;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
})();
