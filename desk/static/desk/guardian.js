// Shows the parent or guardian's fields only to someone under the consent age on the day that
// counts. Both come from the form, on the fieldset: data-consent-age (the portal's setting) and
// data-day (the session's day; today when absent). Without JavaScript, or without an age, the
// fields stay visible, with their explanation.
(function () {
  var box = document.getElementById("guardian-fields");
  var input = document.getElementById("id_birth_date");
  if (!box || !input) return;
  var consentAge = parseInt(box.dataset.consentAge, 10);
  if (isNaN(consentAge)) return;
  var day = box.dataset.day ? new Date(box.dataset.day + "T12:00:00") : new Date();
  function update() {
    var show = false;
    if (input.value) {
      var born = new Date(input.value + "T12:00:00");
      var age = day.getFullYear() - born.getFullYear();
      if (day.getMonth() < born.getMonth() || (day.getMonth() === born.getMonth() && day.getDate() < born.getDate())) age--;
      show = age < consentAge;
    }
    box.hidden = !(show || box.dataset.errors);
  }
  input.addEventListener("change", update);
  input.addEventListener("input", update);
  update();
})();
