// Choosing an antenna in the list also chooses "at an antenna".
(function () {
  var select = document.getElementById("antenna-select");
  var radio = document.getElementById("channel-antenna");
  if (select && radio) select.addEventListener("change", function () { radio.checked = true; });
})();
