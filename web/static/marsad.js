// Progressive enhancement only: the page works without this file.
// Filter boxes marked data-suggest get name completion from /api/suggest.
(function () {
  "use strict";
  var TYPES = {
    country: "دولة", region: "إقليم", governorate: "محافظة", district: "منطقة", city: "مدينة", town: "بلدة",
    site: "موقع", state_force: "قوات نظامية", armed_group: "جماعة مسلحة", government: "حكومة أو وزارة",
    international: "هيئة دولية", person: "شخصية", media: "وسيلة إعلام", other: "جهة"
  };
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
              option.label = item.name_ar + " — " + (TYPES[item.type] || "") + " (" + item.name_en + ")";
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
})();
