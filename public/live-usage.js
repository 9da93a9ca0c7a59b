// Keeps an open usage dashboard current (README "Usage dashboards"): while its period
// includes now, the same page is fetched every 5 s and its figures swapped in place;
// open "data as a table" disclosures stay open. Without JavaScript a reload does the same.
const live = document.getElementById('usage-live');
if (live && live.dataset.live === 'on') {
  let busy = false;
  const refresh = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const res = await fetch(location.href, { credentials: 'same-origin' });
      if (res.ok) {
        const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('usage-live');
        if (fresh) {
          const open = [...live.querySelectorAll('details[open]')].map((d) => d.id);
          live.innerHTML = fresh.innerHTML;
          for (const id of open) document.getElementById(id)?.setAttribute('open', '');
          live.dataset.refreshed = String(Date.now());
        }
      }
    } catch {}
    busy = false;
  };
  setInterval(refresh, 5000);
  live.dataset.ready = '';
}
