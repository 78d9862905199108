// Shows the parent or guardian's fields only to someone under the consent age on the day that
// counts. Both come from the form, on the fieldset: data-consent-age (the portal's setting) and
// data-day (the session's day; today when absent). The date of birth is typed as day, month and
// year (id_birth_date_0/_1/_2), or as one date (id_birth_date). Without JavaScript, or without
// an age, the fields stay visible, with their explanation.
(function () {
  var box = document.getElementById("guardian-fields");
  var parts = [0, 1, 2].map(function (i) { return document.getElementById("id_birth_date_" + i); });
  var single = document.getElementById("id_birth_date");
  var inputs = parts[0] ? parts : (single ? [single] : []);
  if (!box || !inputs.length) return;
  var consentAge = parseInt(box.dataset.consentAge, 10);
  if (isNaN(consentAge)) return;
  var day = box.dataset.day ? new Date(box.dataset.day + "T12:00:00") : new Date();
  function born() {
    var d, m, y;
    if (parts[0]) {
      d = parseInt(parts[0].value, 10); m = parseInt(parts[1].value, 10); y = parseInt(parts[2].value, 10);
    } else if (single.value) {
      var bits = single.value.split("-");
      y = parseInt(bits[0], 10); m = parseInt(bits[1], 10); d = parseInt(bits[2], 10);
    }
    if (!(d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1900)) return null;
    return { y: y, m: m - 1, d: d };
  }
  function update() {
    var show = false;
    var b = born();
    if (b) {
      var age = day.getFullYear() - b.y;
      if (day.getMonth() < b.m || (day.getMonth() === b.m && day.getDate() < b.d)) age--;
      show = age < consentAge;
    }
    box.hidden = !(show || box.dataset.errors);
  }
  inputs.forEach(function (input) {
    input.addEventListener("change", update);
    input.addEventListener("input", update);
  });
  update();
})();
