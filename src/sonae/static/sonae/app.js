// sonae's only script (no inline scripts: the CSP forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]")) el.form.requestSubmit();
});
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target) return;
  const text = target.value !== undefined ? target.value : target.textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    target.select && target.select();
    document.execCommand && document.execCommand("copy");
  }
  const done = button.dataset.copiedLabel;
  if (done) { const old = button.textContent; button.textContent = done; setTimeout(() => { button.textContent = old; }, 2000); }
});
