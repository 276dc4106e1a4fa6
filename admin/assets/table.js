// The certificates list: filter, sort, render, selection and keyboard use.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function searchText(c) {
  return [c.FriendlyName, c.Server, c.Subject, c.Issuer, c.Thumbprint, c.Status, c.Services, ...c.CertificateDomains].join('\n').toLowerCase();
}

export function expiryClass(c) {
  if (c.Status === 'PendingRequest') return '';
  if (c.DaysUntilExpiry < 0) return 'expired';
  return c.ExpiryWarning ? 'expiring' : '';
}

export function expiresText(c) {
  return c.Status === 'PendingRequest' ? '—' : c.NotAfter.slice(0, 10);
}

export class CertificateTable {
  constructor(table, onSelect) {
    this.table = table;
    this.body = table.tBodies[0];
    this.onSelect = onSelect;
    this.rows = [];
    this.shown = [];
    this.filter = '';
    this.sortKey = 'FriendlyName';
    this.ascending = true;
    this.selected = null;
    for (const b of table.querySelectorAll('th button')) b.addEventListener('click', () => this.sortBy(b.dataset.sort));
    this.body.addEventListener('click', (e) => { const tr = e.target.closest('tr'); if (tr) this.select(Number(tr.dataset.i), true); });
    this.body.addEventListener('keydown', (e) => this.key(e));
  }

  set(rows) {
    this.rows = rows;
    for (const r of rows) r._text = searchText(r);
    this.render();
  }

  setFilter(text) { this.filter = text.trim().toLowerCase(); return this.render(); }

  sortBy(key) {
    this.ascending = this.sortKey === key ? !this.ascending : true;
    this.sortKey = key;
    for (const th of this.table.querySelectorAll('th')) {
      th.setAttribute('aria-sort', th.querySelector('button').dataset.sort === key ? (this.ascending ? 'ascending' : 'descending') : 'none');
    }
    this.render();
  }

  render() {
    const words = this.filter.split(/\s+/).filter(Boolean);
    const key = this.sortKey;
    const dir = this.ascending ? 1 : -1;
    this.shown = this.rows.filter((r) => words.every((w) => r._text.includes(w)));
    this.shown.sort((a, b) => dir * collator.compare(String(a[key]), String(b[key])) || collator.compare(a.Identity, b.Identity));
    const frag = document.createDocumentFragment();
    this.shown.forEach((c, i) => {
      const tr = document.createElement('tr');
      tr.dataset.i = i;
      tr.tabIndex = -1;
      tr.setAttribute('aria-selected', String(this.selected === c.Identity));
      const cls = expiryClass(c);
      if (cls) tr.className = cls;
      const name = document.createElement('td');
      name.textContent = c.FriendlyName;
      const server = document.createElement('td');
      server.textContent = c.Server;
      const status = document.createElement('td');
      status.textContent = c.Status;
      const expires = document.createElement('td');
      expires.textContent = expiresText(c);
      if (cls) {
        const badge = document.createElement('span');
        badge.className = `badge ${cls}`;
        badge.textContent = cls === 'expired' ? 'Expired' : `Expires in ${c.DaysUntilExpiry} days`;
        expires.append(badge);
      }
      const services = document.createElement('td');
      services.textContent = c.Services;
      tr.append(name, server, status, expires, services);
      frag.append(tr);
    });
    this.body.replaceChildren(frag);
    const focusable = this.body.querySelector('tr[aria-selected="true"]') || this.body.rows[0];
    if (focusable) focusable.tabIndex = 0;
    return this.shown.length;
  }

  select(i, focus) {
    const c = this.shown[i];
    if (!c) return;
    this.selected = c.Identity;
    for (const tr of this.body.querySelectorAll('tr[aria-selected="true"], tr[tabindex="0"]')) { tr.setAttribute('aria-selected', 'false'); tr.tabIndex = -1; }
    const tr = this.body.rows[i];
    tr.setAttribute('aria-selected', 'true');
    tr.tabIndex = 0;
    if (focus) tr.focus();
    this.onSelect(c);
  }

  current() { return this.rows.find((r) => r.Identity === this.selected) || null; }

  key(e) {
    const tr = e.target.closest('tr');
    if (!tr) return;
    const i = Number(tr.dataset.i);
    const move = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[e.key];
    if (move) {
      e.preventDefault();
      const j = Math.max(0, Math.min(this.shown.length - 1, i + move));
      this.body.rows[i].tabIndex = -1;
      this.body.rows[j].tabIndex = 0;
      this.body.rows[j].focus();
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.select(i, true);
    }
  }
}
