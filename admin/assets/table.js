// The certificates list: filter, sort, render, selection and keyboard use.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
// Only the rows in and near the list's scrolled view are in the page (spacers stand for the
// rest), so 10,000 certificates cost a screenful of rows to draw, filter or sort. A list this
// short is drawn whole.
const DRAW_ALL_UP_TO = 400;
const BUFFER_ROWS = 60;

export function searchText(c) {
  return [c.FriendlyName, c.Server, c.Subject, c.Issuer, c.Thumbprint, c.Status, c.Services, ...c.CertificateDomains].join('\n').toLowerCase();
}

export function expiryClass(c) {
  if (c.Status === 'PendingRequest') return '';
  if (c.DaysUntilExpiry < 0) return 'expired';
  return c.ExpiryWarning ? 'expiring' : '';
}

// A revoked certificate, or one whose revocation could not be checked, stands out too.
export function revocationClass(c) {
  if (c.Status === 'Revoked') return 'revoked';
  return c.Status === 'RevocationCheckFailure' ? 'unchecked' : '';
}

export function expiresText(c) {
  return c.Status === 'PendingRequest' ? '—' : c.NotAfter.slice(0, 10);
}

export class CertificateTable {
  constructor(table, onSelect) {
    this.table = table;
    this.wrap = table.parentElement;
    this.body = table.tBodies[0];
    this.onSelect = onSelect;
    this.rows = [];
    this.shown = [];
    this.filter = '';
    this.sortKey = 'FriendlyName';
    this.ascending = true;
    this.selected = null;
    this.rowHeight = 32;
    this.drawn = { first: 0, last: 0 };
    this.pending = false;
    for (const b of table.querySelectorAll('th button')) b.addEventListener('click', () => this.sortBy(b.dataset.sort));
    // On the table, not the body: every draw puts in a new body.
    table.addEventListener('click', (e) => { const tr = e.target.closest('tbody tr[data-i]'); if (tr) this.select(Number(tr.dataset.i), true); });
    table.addEventListener('keydown', (e) => this.key(e));
    this.wrap.addEventListener('scroll', () => {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; if (this.needsDraw()) this.draw(); });
    }, { passive: true });
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
    // Screen readers hear the whole list's size, not the drawn part's.
    this.table.setAttribute('aria-rowcount', String(this.shown.length + 1));
    this.draw();
    return this.shown.length;
  }

  // The rows [first, last) to draw for the current scroll position.
  window() {
    const n = this.shown.length;
    if (n <= DRAW_ALL_UP_TO) return { first: 0, last: n };
    const top = Math.max(0, this.wrap.scrollTop - this.body.offsetTop);
    const seen = Math.ceil((this.wrap.clientHeight || 800) / this.rowHeight);
    const at = Math.floor(top / this.rowHeight);
    return { first: Math.max(0, at - BUFFER_ROWS), last: Math.min(n, at + seen + BUFFER_ROWS) };
  }

  // True when the view has come within half a buffer of the drawn rows' edge.
  needsDraw() {
    const w = this.window();
    const margin = BUFFER_ROWS / 2;
    return (w.first < this.drawn.first + margin && this.drawn.first > 0)
      || (w.last > this.drawn.last - margin && this.drawn.last < this.shown.length);
  }

  draw() {
    const { first, last } = this.window();
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('#certificates tbody tr[data-i]');
    const body = document.createElement('tbody');
    body.append(this.spacer(first), this.rowsFrom(first, last), this.spacer(this.shown.length - last));
    this.table.replaceChild(body, this.body);
    this.body = body;
    this.drawn = { first, last };
    const real = body.querySelector('tr[data-i]');
    if (real) {
      const h = real.getBoundingClientRect().height;
      if (h > 0) this.rowHeight = h;
    }
    const again = focused && this.rowAt(Number(focused.dataset.i));
    const focusable = again || body.querySelector('tr[aria-selected="true"]') || real;
    if (focusable) focusable.tabIndex = 0;
    if (again) again.focus({ preventScroll: true });
  }

  spacer(rows) {
    const frag = document.createDocumentFragment();
    if (rows <= 0) return frag;
    const tr = document.createElement('tr');
    tr.className = 'spacer';
    tr.setAttribute('aria-hidden', 'true');
    const td = document.createElement('td');
    td.colSpan = 5;
    td.style.height = `${rows * this.rowHeight}px`;
    tr.append(td);
    frag.append(tr);
    return frag;
  }

  rowAt(i) { return this.body.querySelector(`tr[data-i="${i}"]`); }

  rowsFrom(from, to) {
    const frag = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const c = this.shown[i];
      const tr = document.createElement('tr');
      tr.dataset.i = i;
      tr.tabIndex = -1;
      tr.setAttribute('aria-rowindex', String(i + 2));
      tr.setAttribute('aria-selected', String(this.selected === c.Identity));
      const cls = expiryClass(c);
      const revoked = revocationClass(c);
      if (cls || revoked) tr.className = [cls, revoked].filter(Boolean).join(' ');
      const name = document.createElement('td');
      name.textContent = c.FriendlyName;
      const server = document.createElement('td');
      server.textContent = c.Server;
      const status = document.createElement('td');
      status.textContent = c.Status;
      if (revoked) {
        const badge = document.createElement('span');
        badge.className = `badge ${revoked}`;
        badge.textContent = revoked === 'revoked' ? 'Revoked' : 'Not checked';
        status.append(badge);
      }
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
    }
    return frag;
  }

  select(i, focus) {
    const c = this.shown[i];
    const tr = this.rowAt(i);
    if (!c || !tr) return;
    this.selected = c.Identity;
    for (const old of this.body.querySelectorAll('tr[aria-selected="true"], tr[tabindex="0"]')) { old.setAttribute('aria-selected', 'false'); old.tabIndex = -1; }
    tr.setAttribute('aria-selected', 'true');
    tr.tabIndex = 0;
    if (focus) tr.focus();
    this.onSelect(c);
  }

  current() { return this.rows.find((r) => r.Identity === this.selected) || null; }

  key(e) {
    const tr = e.target.closest('tbody tr[data-i]');
    if (!tr) return;
    const i = Number(tr.dataset.i);
    const move = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity }[e.key];
    if (move) {
      e.preventDefault();
      const j = Math.max(0, Math.min(this.shown.length - 1, i + move));
      if (!this.rowAt(j)) {
        // Home or End, or past the drawn rows: scroll there first, then draw.
        this.wrap.scrollTop = this.body.offsetTop + j * this.rowHeight - this.wrap.clientHeight / 2;
        this.draw();
      }
      const next = this.rowAt(j);
      if (!next) return;
      tr.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.select(i, true);
    }
  }
}
