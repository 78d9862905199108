// The floor map's search as you type: stands whose exhibitor, keywords or opportunities match
// are drawn thicker, the others dimmed; the list below the map keeps only the matches.
(function () {
  "use strict";
  var input = document.getElementById("cerca");
  var status = document.getElementById("jf-floor-status");
  if (!input) return;
  function apply() {
    var needle = input.value.trim().toLowerCase();
    var n = 0;
    document.querySelectorAll(".jf-stand").forEach(function (stand) {
      var hit = needle !== "" && (stand.dataset.words || "").indexOf(needle) !== -1;
      stand.classList.toggle("jf-match", hit);
      stand.classList.toggle("jf-dim", needle !== "" && !hit);
      if (hit) n += 1;
    });
    document.querySelectorAll(".jf-floor-list li").forEach(function (item) {
      var hit = needle === "" || (item.dataset.words || "").indexOf(needle) !== -1;
      item.classList.toggle("jf-hidden", !hit);
    });
    if (status) status.textContent = needle ? input.dataset.label + " " + n : "";
  }
  input.addEventListener("input", apply);
})();
