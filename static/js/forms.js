// A form sent back with errors: the error summary (templates/includes/form.html) takes the focus,
// so a screen reader reads it first; each of its links moves the focus into its field (a link to
// an id only scrolls), with the field's label in view, as GOV.UK's error summary does.
// A file, not an inline script: the Content-Security-Policy allows no inline code.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    const label = document.querySelector(`label[for="${field.id}"]`) || field.closest("fieldset")?.querySelector("legend");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
