// Live usage dashboard: refetch and swap #usage-live every 5 s (README "Usage dashboards").
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
