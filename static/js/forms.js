// A form sent back with errors: the error summary (templates/includes/form.html) takes the focus,
// so a screen reader reads it first and a keyboard user tabs from it to the links to each field.
// A file, not an inline script: the Content-Security-Policy allows no inline code.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
