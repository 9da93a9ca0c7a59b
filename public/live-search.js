// Search as you type on /catalog (README "Catalog search"); the form works without it.
const f = document.getElementById('catalog-search'), live = document.getElementById('catalog-live');
if (f && live) {
  let timer = 0, seq = 0;
  const search = async () => {
    const mine = ++seq, p = new URLSearchParams(new FormData(f));
    p.delete('page');
    const q = `${p}`, url = q ? `/catalog?${q}` : '/catalog';
    try {
      const html = await (await fetch(url)).text();
      const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('catalog-live');
      if (mine !== seq || !fresh) return;
      live.innerHTML = fresh.innerHTML;
      history.replaceState(null, '', url);
    } catch {}
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(search, 200); };
  f.addEventListener('input', later);
  f.addEventListener('change', later);
  f.dataset.ready = '';
}
