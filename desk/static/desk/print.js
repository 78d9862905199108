// The agenda's "Print" button (no inline script: the Content-Security-Policy allows none).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
