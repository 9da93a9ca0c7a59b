// Copy buttons (components/copy.rs): hidden without JavaScript; here they copy the value
// (or the text) of the element they name and say so, in the page's language, for a few
// seconds. Wired again when a live region swaps new ones in (live.js).
function wire() {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(button.dataset.copy);
    if (!field || button.dataset.ready !== undefined) continue;
    const label = button.textContent;
    button.hidden = false;
    button.dataset.ready = '';
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(field.value ?? field.textContent);
      } catch {
        field.select?.();
        document.execCommand('copy');
      }
      button.textContent = button.dataset.copied;
      setTimeout(() => (button.textContent = label), 3000);
    });
  }
}
wire();
document.addEventListener('live-swapped', wire);
