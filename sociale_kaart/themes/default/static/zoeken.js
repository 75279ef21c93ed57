/* Search page: the site's search engine (zoekmachine.js) with facets. Vanilla JS.
 *
 * Markup (templates zoeken.html, kennisbank.html, province.html):
 *   <div data-zoeken data-bundle="../pagefind/" data-root="../" data-verberg="gemeente" data-kop="2"
 *        [data-basis="/kennisbank/"] [data-secties='[{"map": "vechtstad/", "basis": "/vechtstad/"}]']>
 *     [data-zoek-zonder-js]  links shown until search works (also when Pagefind fails to load)
 *     form[data-zoek-form] with input[name=q]
 *     [data-zoek-layout] > [data-zoek-filters-blok] > [data-zoek-filters]
 *                        [data-zoek-status] (role=status), [data-zoek-gekozen],
 *                        ol[data-zoek-resultaten], [data-zoek-meer-blok] > button[data-zoek-meer]
 *
 * Behaviour: results as you type (debounced); one checkbox group per Pagefind filter, OR within
 * a filter and AND across filters; counts per value (for a filter with choices, the counts
 * ignore that filter's own choices, so they say how many results a value adds); chosen filters
 * as removable buttons; the state lives in the URL (?q=...&thema=...), typing replaces the
 * history entry, choosing filters adds one, so Back and reload work. Result URLs from Pagefind
 * ("/activiteiten/x/") are made relative with data-root.
 *
 * Index: zoekmachine.js (site/search_index.py) reads zoekindex.json in data-zoekindex, else in
 * data-root (the gemeente or kennisbank folder, or the site root for the province search, which
 * has data-secties); all searching goes through zoekIn().
 */
(function () {
  "use strict";

  // The filters, their Dutch labels, the order and labels of their values: generated from
  // site/facets.py into zoekfilters.json (data-filters), read once at the start.
  var FACETS = [];
  var VALUE_ORDER = {};
  var VALUE_LABELS = {};
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 250;

  var box = document.querySelector("[data-zoeken]");
  if (!box) return;
  var root = box.getAttribute("data-root") || "./";
  var extraSections = JSON.parse(box.getAttribute("data-secties") || "[]");
  var hiddenFacets = (box.getAttribute("data-verberg") || "").split(",").map(function (s) {
    return s.trim();
  }).filter(Boolean);
  var headingLevel = Math.min(6, Math.max(2, parseInt(box.getAttribute("data-kop") || "2", 10)));

  var el = {
    fallback: box.querySelector("[data-zoek-zonder-js]"),
    form: box.querySelector("[data-zoek-form]"),
    input: box.querySelector("[data-zoek-form] input[name=q]"),
    layout: box.querySelector("[data-zoek-layout]"),
    filterBlock: box.querySelector("[data-zoek-filters-blok]"),
    filters: box.querySelector("[data-zoek-filters]"),
    status: box.querySelector("[data-zoek-status]"),
    chosen: box.querySelector("[data-zoek-gekozen]"),
    results: box.querySelector("[data-zoek-resultaten]"),
    moreBlock: box.querySelector("[data-zoek-meer-blok]"),
    more: box.querySelector("[data-zoek-meer]")
  };

  var machine = null;       // Zoekmachine.open(...)
  var facetNames = [];      // filters present in the index, in display order
  var totals = {};          // filter -> value -> count over the whole index
  var state = { q: "", filters: {} };
  var current = [];         // Pagefind results of the last search
  var shown = 0;
  var searchSeq = 0;
  var typingTimer = null;

  // ------------------------------------------------------------------ state <-> URL

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var s = { q: params.get("q") || "", filters: {} };
    params.forEach(function (value, key) {
      if (key === "q" || facetNames.indexOf(key) < 0) return;
      if (!totals[key] || !(value in totals[key])) return;
      var list = s.filters[key] || (s.filters[key] = []);
      if (list.indexOf(value) < 0) list.push(value);
    });
    return s;
  }

  function stateUrl(s) {
    var params = new URLSearchParams();
    if (s.q.trim()) params.set("q", s.q.trim());
    facetNames.forEach(function (name) {
      (s.filters[name] || []).slice().sort().forEach(function (v) { params.append(name, v); });
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function saveState(push) {
    var url = stateUrl(state);
    if (url === window.location.pathname + window.location.search + window.location.hash) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  function hasFilters(s) {
    return Object.keys(s.filters).some(function (k) { return s.filters[k].length > 0; });
  }

  function pagefindFilters(s) {
    var out = {};
    Object.keys(s.filters).forEach(function (name) {
      if (s.filters[name].length) out[name] = s.filters[name].slice();
    });
    return out;
  }

  // ------------------------------------------------------------------ labels

  function facetLabel(name) {
    for (var i = 0; i < FACETS.length; i++) if (FACETS[i][0] === name) return FACETS[i][1];
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function valueLabel(name, value) {
    var map = VALUE_LABELS[name];
    if (map && map[value]) return map[value];
    return value.charAt(0).toUpperCase() + value.slice(1);
  }

  function sortedValues(name, values) {
    var order = VALUE_ORDER[name];
    return values.slice().sort(function (a, b) {
      if (order) {
        var ia = order.indexOf(a), ib = order.indexOf(b);
        if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      }
      return a.localeCompare(b, "nl");
    });
  }

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ------------------------------------------------------------------ filters

  function buildFilters() {
    el.filters.textContent = "";
    var n = 0;
    facetNames.forEach(function (name) {
      var fieldset = make("fieldset", { "data-facet": name });
      fieldset.appendChild(make("legend", {}, facetLabel(name)));
      var list = make("ul", { "class": "filterlijst" });
      sortedValues(name, Object.keys(totals[name])).forEach(function (value) {
        n += 1;
        var li = make("li");
        var label = make("label");
        var input = make("input", { type: "checkbox", name: name, id: "zoekfilter-" + n });
        input.value = value;
        input.addEventListener("change", onFilterChange);
        label.appendChild(input);
        label.appendChild(make("span", {}, valueLabel(name, value)));
        label.appendChild(make("span", { "class": "aantal" }));
        li.appendChild(label);
        list.appendChild(li);
      });
      fieldset.appendChild(list);
      el.filters.appendChild(fieldset);
    });
  }

  function syncControls() {
    if (el.input.value !== state.q) el.input.value = state.q;
    el.filters.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      input.checked = (state.filters[input.name] || []).indexOf(input.value) >= 0;
    });
  }

  function showCounts(counts) {
    el.filters.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      var byValue = counts[input.name] || {};
      var count = byValue[input.value] || 0;
      input.parentNode.querySelector(".aantal").textContent = "(" + count + ")";
    });
  }

  function showChosen() {
    el.chosen.textContent = "";
    var chosen = [];
    facetNames.forEach(function (name) {
      sortedValues(name, state.filters[name] || []).forEach(function (v) { chosen.push([name, v]); });
    });
    if (!chosen.length) return;
    el.chosen.appendChild(make("p", { "class": "gekozen-kop" }, "Gekozen filters:"));
    var list = make("ul", { "class": "gekozen" });
    chosen.forEach(function (pair) {
      var li = make("li");
      var button = make("button", { type: "button", "data-facet": pair[0], "data-waarde": pair[1] },
                        facetLabel(pair[0]) + ": " + valueLabel(pair[0], pair[1]) + " ");
      button.appendChild(make("span", { "aria-hidden": "true" }, "×"));
      button.appendChild(make("span", { "class": "visually-hidden" }, "(filter weghalen)"));
      button.addEventListener("click", onRemoveChip);
      li.appendChild(button);
      list.appendChild(li);
    });
    if (chosen.length > 1) {
      var li = make("li");
      var all = make("button", { type: "button", "data-alles-weg": "" },
                     "Alle filters weghalen");
      all.addEventListener("click", function () {
        state.filters = {};
        changed(true);
        el.input.focus();
      });
      li.appendChild(all);
      list.appendChild(li);
    }
    el.chosen.appendChild(list);
  }

  // ------------------------------------------------------------------ search

  function resultCountText(n) {
    var q = state.q.trim();
    if (n === 0) {
      return "Geen resultaten" + (q ? " voor ‘" + q + "’" : "") +
        ". Probeer een ander woord" + (hasFilters(state) ? " of haal een filter weg." : ".");
    }
    return n + (n === 1 ? " resultaat" : " resultaten") + (q ? " voor ‘" + q + "’" : "") + ".";
  }

  // The one place that searches: results in groups (residents first), filter counts, and
  // the words that were corrected or unknown (see zoekmachine.js).
  function zoekIn(woorden, filters) {
    return machine.zoek(woorden, filters);
  }

  async function search() {
    var seq = ++searchSeq;
    var term = state.q.trim() || null;
    var filtering = hasFilters(state);
    if (!term && !filtering) {
      if (seq !== searchSeq) return;
      current = [];
      showCounts(totals);
      await renderResults(0);
      el.status.textContent = "Typ een zoekwoord of kies een filter.";
      return;
    }
    var r = await zoekIn(term || "", pagefindFilters(state));
    if (seq !== searchSeq) return; // a newer search started meanwhile
    current = r.groepen.bewoners.concat(r.groepen.organisaties, r.groepen.praktijken);
    showCounts(r.filterAantallen);
    await renderResults(PAGE_SIZE);
    if (seq !== searchSeq) return;
    el.status.textContent = (r.bedoeld ? "Bedoelde u ‘" + r.bedoeld + "’? " : "") +
      resultCountText(current.length);
  }

  async function renderResults(upTo) {
    var seq = searchSeq;
    var slice = current.slice(0, upTo);
    var data = await Promise.all(slice.map(function (r) { return r.data(); }));
    if (seq !== searchSeq) return;
    el.results.textContent = "";
    data.forEach(function (d) { el.results.appendChild(resultItem(d)); });
    shown = slice.length;
    el.moreBlock.hidden = shown >= current.length;
  }

  async function showMore() {
    var seq = searchSeq;
    var slice = current.slice(shown, shown + PAGE_SIZE);
    var data = await Promise.all(slice.map(function (r) { return r.data(); }));
    if (seq !== searchSeq) return;
    var first = null;
    data.forEach(function (d) {
      var item = resultItem(d);
      el.results.appendChild(item);
      if (!first) first = item.querySelector("a");
    });
    shown += slice.length;
    el.moreBlock.hidden = shown >= current.length;
    if (first) first.focus();
  }

  function resultHref(url) {
    // Pagefind URLs are relative to the indexed folder and start with "/".
    return root + url.replace(/^\//, "");
  }

  function resultItem(d) {
    var li = make("li", { "class": "resultaat" });
    var heading = make("h" + headingLevel, { "class": "resultaat-titel" });
    var a = make("a", { href: resultHref(d.url) }, d.titel || d.url);
    heading.appendChild(a);
    li.appendChild(heading);
    var f = d.filters || {};
    var facts = [];
    (f.soort || []).forEach(function (s) { facts.push(valueLabel("soort", s)); });
    if (hiddenFacets.indexOf("gemeente") < 0 && f.gemeente && f.gemeente.length && f.soort &&
        f.soort[0] !== "praktijk") {
      facts.push(f.gemeente.join(", "));
    }
    (f.kern || []).forEach(function (k) { facts.push(k); });
    if (f.dag && f.dag.length) facts.push(f.dag.join(", "));
    if (f.kosten && f.kosten[0] === "gratis") facts.push("gratis");
    if (facts.length) li.appendChild(make("p", { "class": "small resultaat-soort" }, facts.join(" · ")));
    var text = d.samenvatting;
    if (text) li.appendChild(make("p", {}, text));
    return li;
  }

  // ------------------------------------------------------------------ events

  function changed(push) {
    saveState(push);
    syncControls();
    showChosen();
    search().catch(showError);
  }

  function onFilterChange(event) {
    var input = event.target;
    var list = state.filters[input.name] || (state.filters[input.name] = []);
    var i = list.indexOf(input.value);
    if (input.checked && i < 0) list.push(input.value);
    if (!input.checked && i >= 0) list.splice(i, 1);
    if (!list.length) delete state.filters[input.name];
    changed(true);
  }

  function onRemoveChip(event) {
    var button = event.currentTarget;
    var name = button.getAttribute("data-facet");
    var value = button.getAttribute("data-waarde");
    var buttons = Array.prototype.slice.call(el.chosen.querySelectorAll("button[data-facet]"));
    var index = buttons.indexOf(button);
    var list = state.filters[name] || [];
    if (list.indexOf(value) >= 0) list.splice(list.indexOf(value), 1);
    if (!list.length) delete state.filters[name];
    changed(true);
    // Keep keyboard users in place: focus the next chosen filter, or the search field.
    var rest = el.chosen.querySelectorAll("button[data-facet]");
    var next = rest[Math.min(index, rest.length - 1)];
    (next || el.input).focus();
  }

  function onInput() {
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () {
      if (state.q === el.input.value) return;
      state.q = el.input.value;
      changed(false);
    }, DEBOUNCE_MS);
  }

  function onSubmit(event) {
    event.preventDefault();
    window.clearTimeout(typingTimer);
    state.q = el.input.value;
    changed(true);
  }

  function onPopState() {
    state = readState();
    syncControls();
    showChosen();
    search().catch(showError);
  }

  function showError() {
    el.status.textContent = "Zoeken lukt nu niet. Gebruik de links hieronder.";
    if (el.fallback) el.fallback.hidden = false;
  }

  // ------------------------------------------------------------------ start

  async function loadFilterNames() {
    var url = box.getAttribute("data-filters");
    if (!url) return;
    try {
      var response = await fetch(new URL(url, document.baseURI));
      if (!response.ok) return;
      ((await response.json()).filters || []).forEach(function (f) {
        FACETS.push([f.naam, f.label]);
        if (f.volgorde && f.volgorde.length) VALUE_ORDER[f.naam] = f.volgorde;
        if (f.waarden && Object.keys(f.waarden).length) VALUE_LABELS[f.naam] = f.waarden;
      });
    } catch (e) {
      // Without the file the filters are still there, named after their Pagefind names.
    }
  }

  async function loadIndexes() {
    // Result URLs are below the index folder ("/activiteiten/x/", or
    // "/vechtstad/activiteiten/x/" in the province search); resultHref makes them relative.
    machine = window.Zoekmachine.open({
      bereik: box.getAttribute("data-bereik") || (extraSections.length ? "provincie" : "gemeente"),
      basis: box.getAttribute("data-zoekindex") || root
    });
    await machine.klaar();
  }

  async function start() {
    try {
      await Promise.all([loadIndexes(), loadFilterNames()]);
      totals = await machine.totalen();
    } catch (e) {
      showError();
      return;
    }
    facetNames = FACETS.map(function (f) { return f[0]; }).concat(
      Object.keys(totals).filter(function (k) {
        return !FACETS.some(function (f) { return f[0] === k; });
      }).sort()
    ).filter(function (name) {
      return totals[name] && Object.keys(totals[name]).length && hiddenFacets.indexOf(name) < 0;
    });
    buildFilters();
    state = readState();
    syncControls();
    showChosen();
    if (el.fallback) el.fallback.hidden = true;
    el.form.hidden = false;
    el.layout.hidden = false;
    if (el.filterBlock && window.matchMedia("(max-width: 48rem)").matches && !hasFilters(state)) {
      el.filterBlock.open = false; // on a phone the filters fold away above the results
    }
    el.form.addEventListener("submit", onSubmit);
    el.input.addEventListener("input", onInput);
    el.more.addEventListener("click", function () { showMore().catch(showError); });
    window.addEventListener("popstate", onPopState);
    await search();
  }

  start().catch(showError);
})();
