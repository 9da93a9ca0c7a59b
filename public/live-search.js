// Search as you type on /catalog: the plain GET form keeps working without this file.
// With it, typing (or changing the sort) fetches the same /catalog?… page the form would
// open and swaps in its results and facets (#catalog-live); the server stays the only
// renderer. Plain JavaScript on purpose: 1 KB here instead of ~9 KB of wasm and glue,
// inside the first view's 65 KB budget (see README, "Catalog").
const form = document.getElementById('catalog-search');
const live = document.getElementById('catalog-live');
if (form && live) {
  let timer = 0;
  let latest = 0;
  const search = async () => {
    const seq = ++latest;
    const params = new URLSearchParams(new FormData(form));
    params.delete('page');
    const query = params.toString();
    const url = query ? `/catalog?${query}` : '/catalog';
    try {
      const response = await fetch(url, { headers: { accept: 'text/html' } });
      const html = await response.text();
      if (seq !== latest) return; // a newer search is on its way
      const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('catalog-live');
      if (!fresh) return;
      live.innerHTML = fresh.innerHTML;
      history.replaceState(null, '', url);
    } catch {
      // Offline or refused: the form still submits the usual way.
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.dataset.ready = '';
}
