// Live regions (README "Live pages"): refetch, swap in place when something changed, stop
// when the page says so. Other scripts hear of each swap ("live-swapped") to wire what
// came in (copy buttons).
const live = document.querySelector('[data-live="on"][id]');
if (live) {
  let busy = false;
  let last = live.innerHTML;
  const timer = setInterval(async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const res = await fetch(location.href, { credentials: 'same-origin' });
      if (res.ok) {
        const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById(live.id);
        if (fresh && fresh.innerHTML !== last) {
          last = fresh.innerHTML;
          const open = [...live.querySelectorAll('details[open]')].map((d) => d.id);
          live.innerHTML = fresh.innerHTML;
          for (const id of open) document.getElementById(id)?.setAttribute('open', '');
          document.dispatchEvent(new CustomEvent('live-swapped'));
        }
        if (fresh) live.dataset.refreshed = String(Date.now());
        if (fresh && fresh.dataset.live !== 'on') {
          clearInterval(timer);
          live.dataset.live = 'off';
        }
      }
    } catch {}
    busy = false;
  }, Number(live.dataset.every) || 5000);
  live.dataset.ready = '';
}
