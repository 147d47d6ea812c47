// Search for focue sites: reads the index focue writes to /search/ and fetches only
// the parts a query needs. No dependencies, no third party. The text analysis below
// mirrors focue_ssg/source/analysis.py step for step: fold, split, pair CJK.
"use strict";
(function () {
  const CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/gu;
  const TOKEN = /[\p{L}\p{N}]+/gu;
  const HEADLINE = 64, STANDFIRST = 32, BUCKET = 7, PAGE = 10, K1 = 1.2;
  const TYPO_LETTERS = 5, MAX_READINGS = 6;

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{Mn}/gu, "").normalize("NFC").toLowerCase();
  }

  function words(text) {
    return (text.match(TOKEN) || []).filter((w) => w.length > 1 || /^\p{N}$/u.test(w));
  }

  function bigrams(run) {
    const chars = Array.from(run), pairs = [];
    for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i] + chars[i + 1]);
    return pairs.length ? pairs : [run];
  }

  // A query's keys, in order: written forms (folded) and CJK character pairs.
  function analyse(text) {
    const keys = [];
    for (const token of fold(text).match(TOKEN) || []) {
      let at = 0;
      for (const run of token.matchAll(CJK)) {
        keys.push(...words(token.slice(at, run.index)), ...bigrams(run[0]));
        at = run.index + run[0].length;
      }
      keys.push(...words(token.slice(at)));
    }
    return keys;
  }

  // Python sorts strings by code point; so must we, or keys land in the wrong part.
  function compare(a, b) {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }

  function reversed(text) {
    return Array.from(text).reverse().join("");
  }

  // A part in meta.json: where it starts, named by the start's UTF-8 in hex, or a
  // [start, name] pair where the start is too long for a file name.
  function start(part) {
    return typeof part === "string" ? part : part[0];
  }

  function fileName(part) {
    if (typeof part !== "string") return part[1];
    return Array.from(new TextEncoder().encode(part), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function lastNotAfter(sorted, key, of, order = compare) {
    let lo = 0, hi = sorted.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (order(of(sorted[mid]), key) <= 0) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  function oneEditApart(a, b) {  // substitution, insertion, deletion or swap of neighbours
    if (Math.abs(a.length - b.length) > 1 || a === b) return false;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  class Index {
    constructor(metaUrl) {
      this.metaUrl = metaUrl;
      this.files = new Map();
      this.whole = new Map();  // per records file: the whole file, if a server sent it
    }
    async fetch(url) {
      if (!this.files.has(url)) {
        this.files.set(url, fetch(url).then((r) => { if (!r.ok) throw new Error(url); return r.json(); }));
      }
      return this.files.get(url);
    }
    async load() {
      this.meta = await this.fetch(this.metaUrl);
      this.base = this.meta.base;
    }
    // The file of the part that would hold `key` (spelt as the part's keys are sorted).
    file(folder, key) {
      const parts = this.meta[folder];
      const at = lastNotAfter(parts, key, start);
      return at < 0 ? null : `${this.base}${folder}/${fileName(parts[at])}.json`;
    }
    async part(key) {
      const url = this.file("parts", key);
      return url ? this.fetch(url) : null;
    }
    async tail(key) {  // the words near `key` spelt backwards
      const url = this.file("tails", reversed(key));
      return url ? this.fetch(url) : [];
    }
    // A key's postings, exact or through its written form; else, when `typos` and the
    // key is long enough, those of every word one slip away (found where the word's
    // first half or its last half sorts), as one term that any of them matches.
    async lookup(key, typos) {
      const part = await this.part(key);
      if (!part) return null;
      const i = lastNotAfter(part.keys, key, (k) => k);
      if (i >= 0 && part.keys[i] === key) return this.entry(part, i, key);
      // A word of TYPO_LETTERS or more, typed one letter short or with one wrong.
      if (!typos || Array.from(key).length < TYPO_LETTERS - 1) return null;
      const slip = (k) => k[0] !== "#" && Array.from(k).length >= TYPO_LETTERS && oneEditApart(k, key);
      const near = new Set(part.keys.filter(slip));
      for (const k of await this.tail(key)) if (slip(k)) near.add(k);
      const found = (await Promise.all(Array.from(near).slice(0, MAX_READINGS).map((k) => this.lookup(k, false))))
        .filter(Boolean);
      const readings = found.filter((f, j) => found.findIndex((g) => g.key === f.key) === j);
      if (!readings.length) return null;
      readings.sort((a, b) => b.count - a.count);
      return { ...readings[0], typed: key, readings };
    }
    async entry(part, i, key) {
      const value = part.entries[i];
      if (typeof value === "string") {
        const found = await this.lookup(value, false);
        return found && { ...found, form: key };
      }
      const [count, gaps, features, sections] = value;
      const ids = [];
      let id = -1;
      for (const gap of gaps) ids.push((id += gap));
      return { key, form: key, count, ids, features: features || null, sections: sections || null };
    }
    age(id) {
      const day = this.meta.days[Math.floor(id / this.meta.block)];
      const epoch = Date.parse(this.meta.epoch + "T00:00:00Z") / 864e5;
      return Math.max(0, Date.now() / 864e5 - epoch - day);
    }
    // A story's record: its own slot of the block's file, fetched by a byte range. A
    // server that ignores ranges sends the whole file: the block's other records are
    // read from it, so they wait for the block's first answer.
    async records(id) {
      const block = Math.floor(id / this.meta.block), slot = this.meta.slot;
      const url = `${this.base}records/${block}.json`, at = 1 + (id % this.meta.block) * slot;
      const key = `${url}#${at}`;
      if (!this.files.has(key)) this.files.set(key, this.slot(url, at, slot));
      return this.files.get(key);
    }
    async slot(url, at, slot) {
      const opened = this.whole.get(url);
      let found;
      if (!opened) {
        const first = this.range(url, at, slot);
        this.whole.set(url, first.then((f) => f.file || null, () => null));
        found = await first;
      } else {
        const file = await opened;
        found = file ? { file } : await this.range(url, at, slot);
      }
      return found.record || parseSlot(found.file.subarray(at, at + slot));
    }
    async range(url, at, length) {
      const r = await fetch(url, { headers: { Range: `bytes=${at}-${at + length - 1}` } });
      if (!r.ok) throw new Error(url);
      const bytes = new Uint8Array(await r.arrayBuffer());
      return r.status === 206 ? { record: parseSlot(bytes) } : { file: bytes };
    }
  }

  function parseSlot(bytes) {  // a record, padded, and the "," or "]" after it
    return JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.length - 1)));
  }

  // A term's weight in a story: its count in the body (stored in powers of two: 1,
  // 2-3, 4-7, ...; read as 1, 3, 6, ...) saturating as BM25's does, plus the fields.
  function weight(feature) {
    const bucket = feature & BUCKET;
    const count = bucket <= 1 ? bucket : 1.5 * 2 ** (bucket - 1);
    let w = count ? (count * (K1 + 1)) / (count + K1) : 0;
    if (feature & HEADLINE) w += 3;
    if (feature & STANDFIRST) w += 1.5;
    return w;
  }

  // What each story scores for one query word: the best of the words it may stand for
  // (itself, or those a typo may be meant for).
  function postings(term, n) {
    const best = new Map();
    for (const reading of term.readings || [term]) {
      const idf = Math.log(1 + (n - reading.count + 0.5) / (reading.count + 0.5));
      reading.ids.forEach((id, i) => {
        const f = reading.features ? reading.features[i] : 0;
        const score = idf * weight(f), seen = best.get(id);
        if (!seen || score > seen.score) {
          best.set(id, { score, headline: (f & HEADLINE) !== 0, section: reading.sections ? reading.sections[i] : 0 });
        }
      });
    }
    return best;
  }

  // BM25-style: each term's weight in a story by its rarity, all terms wanted (a story
  // missing one counts for much less), a bonus when every word is in the headline, and
  // newer stories ahead of older ones with as much to say.
  function score(index, terms, sort) {
    const n = index.meta.stories, totals = new Map();
    for (const term of terms) {
      for (const [id, found] of postings(term, n)) {
        const seen = totals.get(id) || { id, section: found.section, score: 0, matched: 0, headline: 0 };
        seen.score += found.score;
        seen.matched += 1;
        if (found.headline) seen.headline += 1;
        totals.set(id, seen);
      }
    }
    const half = index.meta.halfLife;
    const results = Array.from(totals.values()).map((r) => {
      const coverage = (r.matched / terms.length) ** 2;
      const headline = terms.length > 1 && r.headline === terms.length ? 1.5 : 1;
      const fresh = 1 + 0.5 * Math.pow(0.5, index.age(r.id) / half);
      return {
        id: r.id, section: r.section, score: r.score * coverage * headline * fresh,
        complete: r.matched === terms.length,
      };
    });
    const complete = results.filter((r) => r.complete);
    const shown = complete.length ? complete : results;
    shown.sort(sort === "newest" ? (a, b) => b.id - a.id : (a, b) => b.score - a.score || b.id - a.id);
    return shown;
  }

  // The phrase bonus: of the results shown, those whose headline or standfirst holds
  // the query's words side by side and in order come first (the index keeps no word
  // positions; the records shown carry the text).
  function phraseFirst(rows, keys) {
    if (keys.length < 2) return rows;
    const holds = (row) => {
      const words = analyse(`${row[0]} ${row[4]}`);
      for (let i = 0; i + keys.length <= words.length; i++) {
        if (keys.every((key, j) => words[i + j] === key)) return true;
      }
      return false;
    };
    return rows.map((row, i) => [holds(row) ? 0 : 1, i, row])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((marked) => marked[2]);
  }

  const FACETS = { tag: "#t", author: "#a" };

  function yearOf(index, id) {
    const years = index.meta.years;
    return years[lastNotAfter(years, id, (y) => y[1], (a, b) => a - b)][0];
  }

  // Tags and authors by their lists in the index; section and year from what each
  // result already carries. Counts are of the results the other filters keep.
  async function filtered(index, results, params) {
    let kept = results;
    for (const [name, prefix] of Object.entries(FACETS)) {
      const value = params.get(name);
      if (!value) continue;
      const found = await index.lookup(prefix + value, false);
      const ids = new Set(found ? found.ids : []);
      kept = kept.filter((r) => ids.has(r.id));
    }
    const year = Number(params.get("year"));
    const section = index.meta.sections.findIndex((s) => s[0] === params.get("section")) + 1;
    const counts = { section: new Map(), year: new Map() };
    const add = (map, key) => map.set(key, (map.get(key) || 0) + 1);
    for (const r of kept) {
      if (!year || yearOf(index, r.id) === year) add(counts.section, r.section);
      if (!section || r.section === section) add(counts.year, yearOf(index, r.id));
    }
    if (year) kept = kept.filter((r) => yearOf(index, r.id) === year);
    if (section) kept = kept.filter((r) => r.section === section);
    return { kept, counts };
  }

  function showCounts(index, counts, params) {
    for (const option of document.querySelectorAll("#search-section option")) {
      const at = index.meta.sections.findIndex((s) => s[0] === option.value) + 1;
      const name = option.dataset.name || (option.dataset.name = option.textContent);
      option.textContent = option.value ? `${name} (${counts.section.get(at) || 0})` : name;
    }
    const years = document.querySelector(".search-years");
    years.replaceChildren();
    const found = Array.from(counts.year).sort((a, b) => b[0] - a[0]);
    if (found.length > 1 || params.get("year")) {
      years.append("By year: ");
      for (const [year, count] of found) years.append(link(params, "year", year, `${year} (${count})`), " ");
    }
  }

  // Tags and authors of the results shown, each with how many of all the results it
  // holds (the other filters applied). Worked out when the reader opens the panel:
  // each needs its list from the index, which a plain search does not fetch.
  async function refine(index, found) {
    const list = document.querySelector(".search-refine-list");
    const { kept, rows, params } = found;
    const seen = new Map();
    for (const row of rows) {
      for (const [name, key] of row[5]) seen.set("tag\u0000" + key, [name, "tag", key]);
      for (const [name, key] of row[6]) seen.set("author\u0000" + key, [name, "author", key]);
    }
    const ids = new Set(kept.map((r) => r.id));
    const counted = await Promise.all(Array.from(seen.values())
      .filter(([, name, key]) => params.get(name) !== key)
      .map(async ([text, name, key]) => {
        const found = await index.lookup(FACETS[name] + key, false);
        return [text, name, key, found ? found.ids.filter((id) => ids.has(id)).length : 0];
      }));
    counted.sort((a, b) => b[3] - a[3] || a[0].localeCompare(b[0]));
    list.replaceChildren();
    for (const [text, name, key, count] of counted) {
      list.append(link(params, name, key, `${name === "tag" ? "" : "by "}${text} (${count})`), " ");
    }
  }

  function highlight(text, forms) {
    const out = document.createDocumentFragment();
    let at = 0;
    for (const match of text.matchAll(TOKEN)) {
      const word = fold(match[0]);
      if (!forms.some((f) => word === f || (f.length > 3 && word.startsWith(f)))) continue;
      out.append(text.slice(at, match.index));
      const mark = document.createElement("mark");
      mark.textContent = match[0];
      out.append(mark);
      at = match.index + match[0].length;
    }
    out.append(text.slice(at));
    return out;
  }

  function link(params, name, value, text) {
    const next = new URLSearchParams(params);
    next.set(name, value);
    const a = document.createElement("a");
    a.href = "?" + next.toString();
    a.textContent = text;
    a.className = "search-filter";
    return a;
  }

  function result(row, forms, params) {
    const [title, url, date, section, summary, tags, authors] = row;
    const li = document.createElement("li");
    li.className = "search-result";
    const h = document.createElement("h2");
    const a = document.createElement("a");
    a.href = url;
    a.append(highlight(title, forms));
    h.append(a);
    const meta = document.createElement("p");
    meta.className = "card-meta";
    const time = document.createElement("time");
    time.dateTime = date;
    time.textContent = date.slice(0, 10);
    meta.append(time);
    if (section) meta.append(" · ", section);
    const p = document.createElement("p");
    p.className = "card-summary";
    p.append(highlight(summary, forms));
    const more = document.createElement("p");
    more.className = "search-facets";
    for (const [name, key] of tags.slice(0, 4)) more.append(link(params, "tag", key, name), " ");
    for (const [name, key] of authors) more.append(link(params, "author", key, name), " ");
    li.append(h, meta, p, more);
    return li;
  }

  async function run(form, index) {
    const params = new URLSearchParams(location.search);
    const status = document.querySelector(".search-status");
    const list = document.querySelector(".search-results");
    for (const field of form.elements) if (field.name && params.has(field.name)) field.value = params.get(field.name);
    const query = params.get("q") || "";
    list.replaceChildren();
    document.querySelector(".search-years").replaceChildren();
    document.querySelector(".search-refine-list").replaceChildren();
    if (!query.trim()) { status.textContent = ""; return; }
    await index.load();
    const keys = analyse(query);
    const terms = (await Promise.all(keys.map((k) => index.lookup(k, true)))).filter(Boolean);
    const scored = terms.length ? score(index, terms, params.get("sort")) : [];
    const { kept: results, counts } = await filtered(index, scored, params);
    showCounts(index, counts, params);
    const forms = terms.flatMap((t) => (t.readings || [t]).map((r) => r.form));
    const typos = terms.filter((t) => t.typed)
      .map((t) => `“${t.typed}” as ${t.readings.map((r) => `“${r.form}”`).join(" or ")}`);
    const shown = Math.min(results.length, PAGE * (Number(params.get("page")) || 1));
    const fetched = await Promise.all(results.slice(0, shown).map((r) => index.records(r.id)));
    const rows = phraseFirst(fetched, keys);
    list.append(...rows.map((row) => result(row, forms, params)));
    const panel = document.querySelector(".search-refine");
    panel.hidden = !rows.length;
    found = { kept: results, rows, params };
    if (panel.open) await refine(index, found);
    const count = results.length === 1 ? "1 result" : `${results.length} results`;
    status.textContent = `${count} for “${query}”` + (typos.length ? ` (read ${typos.join(", ")})` : "");
  }

  if (typeof document === "undefined") {  // Node, in focue's tests: the analysis alone
    module.exports = { analyse, compare, oneEditApart };
    return;
  }
  const form = document.querySelector("form.search-form");
  if (!form) return;
  const index = new Index(form.dataset.meta);
  let found = null;  // the last search's results, for the refine panel
  document.querySelector(".search-refine").addEventListener("toggle", (event) => {
    if (event.target.open && found) refine(index, found);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams(new FormData(form));
    for (const name of ["tag", "author", "year"]) {
      const now = new URLSearchParams(location.search).get(name);
      if (now) params.set(name, now);
    }
    for (const [name, value] of Array.from(params)) if (!value) params.delete(name);
    history.pushState(null, "", "?" + params.toString());
    run(form, index);
  });
  addEventListener("popstate", () => run(form, index));
  document.documentElement.classList.add("search-ready");
  run(form, index).catch((error) => {
    document.querySelector(".search-status").textContent = "Search is unavailable: " + error.message;
  });
})();
