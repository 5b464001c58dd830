"""Events in ACLED's taxonomy: who did what, where, when, with how many killed and injured."""
