// Live regions (README "Live pages"): refetch, swap in place, stop when the page says so.
const live = document.querySelector('[data-live="on"][id]');
if (live) {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const res = await fetch(location.href, { credentials: 'same-origin' });
      if (res.ok) {
        const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById(live.id);
        if (fresh) {
          const open = [...live.querySelectorAll('details[open]')].map((d) => d.id);
          live.innerHTML = fresh.innerHTML;
          for (const id of open) document.getElementById(id)?.setAttribute('open', '');
          live.dataset.refreshed = String(Date.now());
          if (fresh.dataset.live !== 'on') {
            clearInterval(timer);
            live.dataset.live = 'off';
          }
        }
      }
    } catch {}
    busy = false;
  }, Number(live.dataset.every) || 5000);
  live.dataset.ready = '';
}
