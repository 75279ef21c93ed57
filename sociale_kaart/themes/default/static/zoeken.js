/* Search page: Dutch query understanding, grouped results a coach can act on, facets, and
 * suggestions instead of dead ends. Vanilla JS, no dependencies.
 *
 * Markup (templates _zoeken.html, used by zoeken.html, kennisbank.html and province.html):
 *   <div data-zoeken data-root="../" data-verberg="gemeente" data-kop="2"
 *        data-filters="../zoekfilters.json" [data-bereik="provincie"]
 *        [data-provincie="../../"] [data-filters-dicht]>
 *     [data-zoek-zonder-js]  what to use instead, shown until search works (and when it fails)
 *     form[data-zoek-form] with input[name=q]
 *     [data-zoek-layout] > details[data-zoek-filters-blok] > [data-zoek-filters]
 *                        [data-zoek-status] (role=status), [data-zoek-gekozen],
 *                        [data-zoek-resultaten] (the groups), [data-zoek-verder] (no results)
 *
 * All access to a search index goes through one function, zoekIn(bereik, woorden, filters)
 * ("gemeente": this page's own index; "provincie": every gemeente), which resolves to
 *   {totaal, groepen: {bewoners: [...], organisaties: [...], praktijken: [...]},
 *    filterAantallen: {filter: {waarde: n}}, bedoeld: null, onbekend: []}
 * where each result is {url, data: () => Promise<meta>} and meta has url, titel, soort,
 * samenvatting, wanneer, waar, kern, kosten, contact, telefoon, bellen, email, gemeente and
 * lijstje (the Mijn lijstje item). With no query and no filters it gives the index's filter
 * totals. zoekIn asks the site's search engine (window.Zoekmachine, zoekmachine.js, opened with
 * {bereik, basis: the scope's root folder}); without it the search cannot load and the page
 * keeps its fallback. Nothing else in this file touches an index.
 *
 * Query understanding: words that mean a filter ("gratis", "dinsdag", "di", "avond",
 * "vandaag", "morgen", a kern, a target group such as "ouderen") become that filter, shown as a
 * chip, instead of words to find. Which words mean what is data written by the build
 * (site/facets.py query_words, in zoekfilters.json): days and parts of the day from
 * nl/words.py, target groups from the taxonomy. "vandaag" and "morgen" mean the weekday of the
 * visitor's today. Words "between quotes" are always words to find. The URL keeps what the
 * visitor typed (?q=...) and the filters chosen by hand (&dag=...), so a shared link and Back
 * work; removing a chip that came from a word removes that word.
 *
 * Filters: one checkbox group per filter, OR within a filter and AND across filters, with
 * counts (for a filter with choices the counts ignore that filter's own choices, so they say
 * how many results a value adds); values without results are hidden unless chosen. Typing
 * replaces the history entry, choosing filters adds one. The status line (role=status) says
 * the number of results and the filters; while the visitor types it waits for a pause, so a
 * screen reader does not read out every keystroke.
 */
(function () {
  "use strict";

  // Residents first: activities and places, then organisations, then the kennisbank's
  // praktijken in a group of their own.
  var GROUPS = [
    { naam: "bewoners", soorten: ["activiteit", "ontmoetingsplek"], kop: "Activiteiten en plekken",
      meer: "Meer activiteiten en plekken", per: 10 },
    { naam: "organisaties", soorten: ["organisatie"], kop: "Organisaties",
      meer: "Meer organisaties", per: 5 },
    { naam: "praktijken", soorten: ["praktijk"], kop: "Voorbeelden voor professionals",
      meer: "Meer voorbeelden", per: 5,
      uitleg: "Hoe anderen het aanpakken: leerrijke praktijken uit de kennisbank, voor coaches en beleidsmakers." }
  ];
  var DEBOUNCE_MS = 250;
  var STATUS_PAUSE_MS = 800; // the status waits this long after the last keystroke
  var TOKEN = /(?:[\p{L}\p{M}\p{N}]|[+'])+/gu; // as site/facets.py _TOKEN

  var box = document.querySelector("[data-zoeken]");
  if (!box) return;
  var attr = function (name, fallback) { return box.getAttribute(name) || fallback; };
  var own = {
    bereik: attr("data-bereik", "gemeente"),
    root: attr("data-root", "./"),
    filters: box.getAttribute("data-filters")
  };
  var provinceRoot = box.getAttribute("data-provincie"); // on a gemeente's page
  var hiddenFacets = attr("data-verberg", "").split(",").map(function (s) { return s.trim(); })
    .filter(Boolean);
  var headingLevel = Math.min(5, Math.max(2, parseInt(attr("data-kop", "2"), 10)));

  var el = {
    fallback: box.querySelector("[data-zoek-zonder-js]"),
    form: box.querySelector("[data-zoek-form]"),
    input: box.querySelector("[data-zoek-form] input[name=q]"),
    layout: box.querySelector("[data-zoek-layout]"),
    filterBlock: box.querySelector("[data-zoek-filters-blok]"),
    filterCount: box.querySelector("[data-zoek-filters-aantal]"),
    filters: box.querySelector("[data-zoek-filters]"),
    status: box.querySelector("[data-zoek-status]"),
    chosen: box.querySelector("[data-zoek-gekozen]"),
    meant: box.querySelector("[data-zoek-bedoeld]"),
    results: box.querySelector("[data-zoek-resultaten]"),
    further: box.querySelector("[data-zoek-verder]")
  };

  var FACETS = [];       // [name, label] in display order (zoekfilters.json)
  var VALUE_ORDER = {};
  var VALUE_LABELS = {};
  var page = null;       // this page's own search machine (see machine())
  var state = { q: "", filters: {} }; // typed text, filters chosen by hand
  var view = null;       // what the last search showed: {understood, filters, result}
  var searchSeq = 0;
  var typingTimer = null;
  var statusTimer = null;
  var lastInputAt = 0;

  // ------------------------------------------------------------------ small helpers

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function joinNl(items, word) {
    if (items.length < 2) return items.join("");
    return items.slice(0, -1).join(", ") + " " + (word || "en") + " " + items[items.length - 1];
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
  }

  function copyFilters(filters) {
    var out = {};
    Object.keys(filters).forEach(function (k) { if (filters[k].length) out[k] = filters[k].slice(); });
    return out;
  }

  function hasFilters(filters) {
    return Object.keys(filters).some(function (k) { return filters[k].length > 0; });
  }

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

  // ------------------------------------------------------------------ search machines

  var infoCache = {};
  function loadInfo(url) {
    // zoekfilters.json: filters, words that mean a filter, and (province) the sections.
    if (!url) return Promise.resolve({});
    var key = new URL(url, document.baseURI).href;
    if (!infoCache[key]) {
      infoCache[key] = fetch(key).then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; });
    }
    return infoCache[key];
  }

  // A search machine: the index of a scope with its filter totals, the filters it shows and
  // the words that mean a filter there.
  var machines = {};
  function machine(bereik) {
    if (!machines[bereik]) machines[bereik] = openMachine(bereik);
    return machines[bereik];
  }

  function scopeOf(bereik) {
    // Where the index of a scope is and how its URLs relate to this page.
    if (bereik === own.bereik) {
      return { root: own.root, filters: own.filters, hidden: hiddenFacets };
    }
    if (bereik === "provincie" && provinceRoot) {
      return { root: provinceRoot, filters: provinceRoot + "zoekfilters.json", hidden: [] };
    }
    throw new Error("geen zoekindex voor " + bereik);
  }

  async function openMachine(bereik) {
    var c = scopeOf(bereik);
    var info = await loadInfo(c.filters);
    var totals = (await zoekIn(bereik, "", {})).filterAantallen;
    var known = (info.filters || []).map(function (f) { return f.naam; });
    var names = known.concat(Object.keys(totals).filter(function (k) {
      return known.indexOf(k) < 0;
    }).sort()).filter(function (name) {
      return totals[name] && Object.keys(totals[name]).length && c.hidden.indexOf(name) < 0;
    });
    var words = info.woorden || {};
    var longest = 1;
    Object.keys(words).forEach(function (k) { longest = Math.max(longest, k.split(" ").length); });
    return { bereik: bereik, totals: totals, facetNames: names, root: c.root,
             words: words, longest: longest, days: info.dagen || [], lead: info.voorwoorden || [],
             info: info };
  }

  // ------------------------------------------------------------------ the index (zoekIn only)

  var indexes = {};
  function indexFor(bereik) {
    if (!indexes[bereik]) indexes[bereik] = openIndex(bereik);
    return indexes[bereik];
  }

  async function openIndex(bereik) {
    // The site's own search engine (zoekmachine.js): it reads the index in the scope's root
    // folder (a gemeente, the kennisbank, or the site root for the province).
    var c = scopeOf(bereik);
    if (!window.Zoekmachine) throw new Error("zoekmachine.js is niet geladen");
    var engine = window.Zoekmachine.open({ bereik: bereik === "provincie" ? "provincie" : "gemeente",
                                           basis: c.root });
    var all = engine.totalen ? await engine.totalen() : (await engine.zoek("", {})).filterAantallen;
    return { engine: engine, totals: all || {}, root: c.root };
  }

  function contactOf(meta) {
    // The contract's "contact": the phone number and e-mail address, as one line.
    return [meta.telefoon, meta.email].filter(Boolean).join(", ");
  }

  function cardMeta(card, root) {
    // A result of zoekmachine.js (its kaartje: titel, samenvatting, soort, gemeente, kern and
    // the page's data-pagefind-meta) as the result facts below.
    var text = function (v) { return Array.isArray(v) ? v.join(", ") : (v || ""); };
    var lijstje = card.lijstje || null;
    if (typeof lijstje === "string") {
      try { lijstje = JSON.parse(lijstje); } catch (e) { lijstje = null; }
    }
    return {
      url: root + String(card.url || "").replace(/^\//, ""), titel: card.titel || card.url,
      soort: text(card.soort), samenvatting: card.samenvatting || "", wanneer: card.wanneer || "",
      waar: card.waar || "", kern: text(card.kern), kosten: card.kosten || "",
      contact: card.contact || contactOf(card), telefoon: card.telefoon || "", bellen: card.bellen || "",
      email: card.email || "", gemeente: text(card.gemeente), lijstje: lijstje
    };
  }

  // The one way into a search index (see the comment at the top).
  async function zoekIn(bereik, woorden, filters) {
    var m = await indexFor(bereik);
    var term = (woorden || "").trim() || null;
    var out = { totaal: 0, groepen: { bewoners: [], organisaties: [], praktijken: [] },
                filterAantallen: m.totals, bedoeld: null, onbekend: [] };
    if (!term && !hasFilters(filters)) return out;
    var found = await m.engine.zoek(term || "", copyFilters(filters));
    GROUPS.forEach(function (group) {
      out.groepen[group.naam] = ((found.groepen || {})[group.naam] || []).map(function (res) {
        return { url: res.url, data: function () {
          return res.data().then(function (card) { return cardMeta(card, m.root); });
        } };
      });
    });
    out.totaal = found.totaal;
    out.filterAantallen = found.filterAantallen || {};
    out.bedoeld = found.bedoeld || null;
    out.onbekend = found.onbekend || [];
    return out;
  }

  // ------------------------------------------------------------------ query understanding

  function tokens(text) {
    // Tokens with their place in the text; a token after an odd number of '"' is quoted.
    var out = [];
    var plain = text.replace(/[\u2018\u2019`]/g, "'");
    TOKEN.lastIndex = 0;
    var match;
    while ((match = TOKEN.exec(plain)) !== null) {
      var before = plain.slice(0, match.index).split('"').length - 1;
      out.push({ key: fold(match[0]), start: match.index, end: match.index + match[0].length,
                 quoted: before % 2 === 1 });
    }
    return out;
  }

  function meaningIn(m, meanings) {
    // The first meaning whose filters the machine shows, with "over" made a weekday.
    for (var i = 0; i < (meanings || []).length; i++) {
      var meaning = meanings[i];
      var names = Object.keys(meaning.filters || {});
      if (meaning.over !== undefined) names.push("dag");
      if (!names.length || !names.every(function (n) { return m.facetNames.indexOf(n) >= 0; })) continue;
      var filters = {};
      Object.keys(meaning.filters || {}).forEach(function (n) { filters[n] = meaning.filters[n].slice(); });
      if (meaning.over !== undefined && m.days.length === 7) {
        var today = (new Date().getDay() + 6) % 7; // Monday first, as nl/words.py
        filters.dag = [m.days[(today + meaning.over) % 7]];
      }
      return { filters: filters, relative: meaning.over !== undefined };
    }
    return null;
  }

  // What the visitor typed, taken apart: the words to find, and the words that mean filters.
  function understand(q, m) {
    var toks = tokens(q);
    var found = [];
    var i = 0;
    var taken = 0; // tokens before this index belong to an understood word
    while (i < toks.length) {
      var hit = null;
      for (var n = Math.min(m.longest, toks.length - i); n >= 1 && !hit; n--) {
        var span = toks.slice(i, i + n);
        if (span.some(function (t) { return t.quoted; })) continue;
        var meaning = meaningIn(m, m.words[span.map(function (t) { return t.key; }).join(" ")]);
        if (meaning) {
          hit = { start: span[0].start, end: span[n - 1].end, size: n, filters: meaning.filters,
                  relative: meaning.relative, woord: q.slice(span[0].start, span[n - 1].end) };
        }
      }
      if (hit) {
        // A little word leading into it goes with it: "voor ouderen", "op dinsdag".
        var before = toks[i - 1];
        if (before && i - 1 >= taken && !before.quoted && m.lead.indexOf(before.key) >= 0) {
          hit.start = before.start;
        }
        found.push(hit);
        i += hit.size;
        taken = i;
      } else {
        i += 1;
      }
    }
    var rest = "";
    var pos = 0;
    found.forEach(function (w) { rest += q.slice(pos, w.start) + " "; pos = w.end; });
    rest += q.slice(pos);
    return { tekst: rest.replace(/\s+/g, " ").trim(), woorden: found };
  }

  function withoutWords(q, words) {
    // q without the given understood words (their places in q).
    var sorted = words.slice().sort(function (a, b) { return b.start - a.start; });
    sorted.forEach(function (w) { q = q.slice(0, w.start) + " " + q.slice(w.end); });
    return q.replace(/\s+/g, " ").trim();
  }

  // Filters chosen by hand plus those of understood words.
  function effectiveFilters(explicit, understood) {
    var out = copyFilters(explicit);
    understood.woorden.forEach(function (w) {
      Object.keys(w.filters).forEach(function (n) {
        var list = out[n] || (out[n] = []);
        w.filters[n].forEach(function (v) { if (list.indexOf(v) < 0) list.push(v); });
      });
    });
    return out;
  }

  // The chips: every chosen value, with the understood words it came from.
  function chips(filters, understood) {
    var out = [];
    FACETS.map(function (f) { return f[0]; }).concat(Object.keys(filters).filter(function (n) {
      return !FACETS.some(function (f) { return f[0] === n; });
    })).forEach(function (name) {
      sortedValues(name, filters[name] || []).forEach(function (value) {
        var from = understood.woorden.filter(function (w) {
          return (w.filters[name] || []).indexOf(value) >= 0;
        });
        var label = valueLabel(name, value);
        var relative = from.filter(function (w) { return w.relative; })[0];
        if (name === "dag" && relative) label += " (" + relative.woord.toLowerCase() + ")";
        out.push({ facet: name, value: value, label: facetLabel(name) + ": " + label, from: from });
      });
    });
    return out;
  }

  // ------------------------------------------------------------------ state <-> URL

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var s = { q: params.get("q") || "", filters: {} };
    params.forEach(function (value, key) {
      if (key === "q" || page.facetNames.indexOf(key) < 0) return;
      if (!page.totals[key] || !(value in page.totals[key])) return;
      var list = s.filters[key] || (s.filters[key] = []);
      if (list.indexOf(value) < 0) list.push(value);
    });
    return s;
  }

  function queryString(s) {
    var params = new URLSearchParams();
    if (s.q.trim()) params.set("q", s.q.trim());
    Object.keys(s.filters).sort().forEach(function (name) {
      (s.filters[name] || []).slice().sort().forEach(function (v) { params.append(name, v); });
    });
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function saveState(push) {
    var url = window.location.pathname + queryString(state) + window.location.hash;
    if (url === window.location.pathname + window.location.search + window.location.hash) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  // ------------------------------------------------------------------ filters

  function buildFilters() {
    el.filters.textContent = "";
    var n = 0;
    page.facetNames.forEach(function (name) {
      var fieldset = make("fieldset", { "data-facet": name });
      fieldset.appendChild(make("legend", {}, facetLabel(name)));
      var list = make("ul", { "class": "filterlijst" });
      sortedValues(name, Object.keys(page.totals[name])).forEach(function (value) {
        n += 1;
        var li = make("li");
        var label = make("label", { "for": "zoekfilter-" + n });
        var input = make("input", { type: "checkbox", name: name, id: "zoekfilter-" + n });
        input.value = value;
        input.addEventListener("change", onFilterChange);
        var text = make("span", { "class": "filter-naam" }, valueLabel(name, value) + "\u00a0");
        // The count stays on the line of the label's last word: it never wraps on its own.
        text.appendChild(make("span", { "class": "aantal" }));
        label.appendChild(input);
        label.appendChild(text);
        li.appendChild(label);
        list.appendChild(li);
      });
      fieldset.appendChild(list);
      el.filters.appendChild(fieldset);
    });
  }

  function syncControls(filters) {
    if (el.input.value !== state.q) el.input.value = state.q;
    el.filters.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      input.checked = (filters[input.name] || []).indexOf(input.value) >= 0;
    });
    var n = Object.keys(filters).reduce(function (t, k) { return t + filters[k].length; }, 0);
    if (el.filterCount) el.filterCount.textContent = n ? "(" + n + " gekozen)" : "";
  }

  function showCounts(counts) {
    // Values without results are hidden (unless chosen: then they can be unticked), and so is
    // a filter without any value left.
    el.filters.querySelectorAll("fieldset").forEach(function (fieldset) {
      var visible = 0;
      fieldset.querySelectorAll("input[type=checkbox]").forEach(function (input) {
        var count = (counts[input.name] || {})[input.value] || 0;
        input.parentNode.querySelector(".aantal").textContent = "(" + count + ")";
        var show = count > 0 || input.checked;
        input.closest("li").hidden = !show;
        if (show) visible += 1;
      });
      fieldset.hidden = visible === 0;
    });
    // No filter left to choose (a search without results and without filters): no block.
    if (el.filterBlock) el.filterBlock.hidden = !el.filters.querySelector("fieldset:not([hidden])");
  }

  function showChosen(list) {
    el.chosen.textContent = "";
    if (!list.length) return;
    el.chosen.appendChild(make("p", { "class": "gekozen-kop" }, "Gekozen filters:"));
    var ul = make("ul", { "class": "gekozen" });
    list.forEach(function (chip) {
      var li = make("li");
      var attrs = { type: "button", "data-facet": chip.facet, "data-waarde": chip.value };
      if (chip.from.length) attrs["data-woord"] = chip.from.map(function (w) { return w.woord; }).join(" ");
      var button = make("button", attrs, chip.label + " ");
      button.appendChild(make("span", { "aria-hidden": "true" }, "×"));
      button.appendChild(make("span", { "class": "visually-hidden" }, "(filter weghalen)"));
      button.addEventListener("click", onRemoveChip);
      li.appendChild(button);
      ul.appendChild(li);
    });
    if (list.length > 1) {
      var li = make("li");
      var all = make("button", { type: "button", "class": "knop-rustig", "data-alles-weg": "" },
                     "Alle filters weghalen");
      all.addEventListener("click", function () {
        removeChips(view ? chips(view.filters, view.understood) : []);
        el.input.focus();
      });
      li.appendChild(all);
      ul.appendChild(li);
    }
    el.chosen.appendChild(ul);
  }

  function stateWithout(list) {
    // The state without some chips: their values out of the hand-chosen filters, the words
    // they came from out of the text.
    var s = { q: state.q, filters: copyFilters(state.filters) };
    var words = [];
    list.forEach(function (chip) {
      var values = s.filters[chip.facet] || [];
      if (values.indexOf(chip.value) >= 0) values.splice(values.indexOf(chip.value), 1);
      if (!values.length) delete s.filters[chip.facet];
      chip.from.forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); });
    });
    if (words.length) s.q = withoutWords(s.q, words);
    return s;
  }

  function removeChips(list) {
    state = stateWithout(list);
    changed(true);
  }

  async function countFor(s) {
    var understood = understand(s.q, page);
    return (await zoekIn(own.bereik, understood.tekst, effectiveFilters(s.filters, understood))).totaal;
  }

  // ------------------------------------------------------------------ status

  function filterText(list) {
    var parts = [];
    var byFacet = {};
    list.forEach(function (chip) {
      var label = chip.label.slice(facetLabel(chip.facet).length + 2);
      if (!byFacet[chip.facet]) { byFacet[chip.facet] = []; parts.push(chip.facet); }
      byFacet[chip.facet].push(label);
    });
    return joinNl(parts.map(function (f) { return facetLabel(f) + ": " + joinNl(byFacet[f], "of"); }));
  }

  function statusText(understood, list, result) {
    var q = understood.tekst;
    var what = (q ? " voor ‘" + q + "’" : "") + (list.length ? " met " + filterText(list) : "");
    if (result.totaal === 0) return "Geen resultaten" + what + ".";
    var text = plural(result.totaal, "resultaat", "resultaten") + what + ".";
    var groups = GROUPS.filter(function (g) { return result.groepen[g.naam].length; });
    if (groups.length > 1) {
      text += " " + joinNl(groups.map(function (g) {
        return result.groepen[g.naam].length + " bij " + g.kop.toLowerCase();
      })) + ".";
    }
    return text;
  }

  function announce(text, seq) {
    // While the visitor types, wait for a pause before the status is read out.
    window.clearTimeout(statusTimer);
    var wait = lastInputAt + STATUS_PAUSE_MS - Date.now();
    var set = function () { if (seq === searchSeq) el.status.textContent = text; };
    if (wait > 0) statusTimer = window.setTimeout(set, wait);
    else set();
  }

  // ------------------------------------------------------------------ results

  function resultItem(r, level) {
    var li = make("li", { "class": "resultaat" });
    var heading = make("h" + level, { "class": "resultaat-titel" });
    heading.appendChild(make("a", { href: r.url }, r.titel));
    li.appendChild(heading);
    var facts = [];
    if (r.soort) facts.push(valueLabel("soort", r.soort));
    if (hiddenFacets.indexOf("gemeente") < 0 && r.gemeente && r.soort !== "praktijk") {
      facts.push(r.gemeente);
    }
    if (facts.length) li.appendChild(make("p", { "class": "small resultaat-soort" }, facts.join(" · ")));
    if (r.samenvatting) li.appendChild(make("p", { "class": "resultaat-tekst" }, r.samenvatting));
    var dl = make("dl", { "class": "kort" });
    var row = function (term, content) {
      if (!content) return;
      var div = make("div");
      div.appendChild(make("dt", {}, term));
      var dd = make("dd");
      if (typeof content === "string") dd.textContent = content; else dd.appendChild(content);
      div.appendChild(dd);
      dl.appendChild(div);
    };
    row(r.soort === "ontmoetingsplek" ? "Open" : "Wanneer", r.wanneer);
    row("Waar", r.waar || r.kern);
    row(facetLabel("kosten"), r.kosten); // the cost filter's own word
    if (r.telefoon || r.email) {
      var contact = make("span");
      if (r.telefoon) contact.appendChild(make("a", { href: r.bellen || "tel:" + r.telefoon }, r.telefoon));
      if (r.telefoon && r.email) contact.appendChild(document.createTextNode(", "));
      if (r.email) contact.appendChild(make("a", { href: "mailto:" + r.email }, r.email));
      row("Contact", contact);
    } else {
      row("Contact", r.contact);
    }
    if (dl.children.length) li.appendChild(dl);
    if (r.lijstje) li.setAttribute("data-lijstje-item", JSON.stringify(r.lijstje));
    return li;
  }

  function enrich(item) {
    // Mijn lijstje (lijstje.js) adds its button to cards that are added later.
    if (item.hasAttribute("data-lijstje-item") && window.MijnLijstje && window.MijnLijstje.verrijk) {
      window.MijnLijstje.verrijk(item);
    }
  }

  async function renderGroups(result, seq) {
    var sections = [];
    for (var i = 0; i < GROUPS.length; i++) {
      var group = GROUPS[i];
      var list = result.groepen[group.naam] || [];
      if (!list.length) continue;
      var first = await Promise.all(list.slice(0, group.per).map(function (r) { return r.data(); }));
      if (seq !== searchSeq) return;
      sections.push(groupSection(group, list, first));
    }
    el.results.textContent = "";
    sections.forEach(function (s) {
      el.results.appendChild(s);
      s.querySelectorAll("[data-lijstje-item]").forEach(enrich);
    });
  }

  function groupSection(group, list, first) {
    var id = "zoekgroep-" + group.naam;
    var section = make("section", { "class": "zoekgroep", "data-groep": group.naam, "aria-labelledby": id });
    var heading = make("h" + headingLevel, { "class": "zoekgroep-kop", id: id }, group.kop + " ");
    heading.appendChild(make("span", { "class": "aantal" }, "(" + list.length + ")"));
    section.appendChild(heading);
    if (group.uitleg) section.appendChild(make("p", { "class": "small" }, group.uitleg));
    var ol = make("ol", { "class": "resultaten" });
    first.forEach(function (r) { ol.appendChild(resultItem(r, headingLevel + 1)); });
    section.appendChild(ol);
    if (list.length > first.length) {
      var shown = first.length;
      var p = make("p", { "class": "zoek-meer" });
      var more = make("button", { type: "button", "class": "knop-rustig", "data-zoek-meer": group.naam },
                      group.meer);
      more.addEventListener("click", async function () {
        var seq = searchSeq;
        var next = await Promise.all(list.slice(shown, shown + group.per).map(function (r) {
          return r.data();
        }));
        if (seq !== searchSeq) return;
        var focus = null;
        next.forEach(function (r) {
          var item = resultItem(r, headingLevel + 1);
          ol.appendChild(item);
          enrich(item);
          if (!focus) focus = item.querySelector("a");
        });
        shown += next.length;
        p.hidden = shown >= list.length;
        if (focus) focus.focus(); // keyboard users continue at the first new result
      });
      p.appendChild(more);
      section.appendChild(p);
    }
    return section;
  }

  // ------------------------------------------------------------------ no results: what next

  function themeLinks() {
    var tiles = el.fallback && el.fallback.querySelector("[data-zoek-themas]");
    return tiles ? tiles.cloneNode(true) : null;
  }

  function loket() {
    // The gemeente's loket (zoeken.html): whom to ask when searching does not help. Its
    // heading becomes the item's first line, below the suggestions' own heading.
    var block = el.fallback && el.fallback.querySelector("[data-zoek-loket]");
    if (!block) return null;
    var copy = block.cloneNode(true);
    copy.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(function (h) {
      var p = make("p", { "class": "verder-kop" }, h.textContent);
      h.parentNode.replaceChild(p, h);
    });
    return copy;
  }

  async function suggestions(understood, filters, list, seq) {
    // Never a dead end: the same search in every gemeente, the filters to leave out (with the
    // number of results without each), the understood words searched as words, the themes.
    var items = [];
    if (provinceRoot) {
      try {
        var prov = await machine("provincie");
        var there = understand(state.q, prov);
        var provFilters = effectiveFilters(state.filters, there);
        var found = await zoekIn("provincie", there.tekst, provFilters);
        if (found.totaal > 0) {
          var li = make("li");
          var n0 = plural(found.totaal, "resultaat", "resultaten");
          li.appendChild(make("a", { href: provinceRoot + queryString(state), "data-zoek-provincie": "" },
            "Bekijk " + n0 + (there.tekst ? " voor ‘" + there.tekst + "’" : "") + " in alle gemeenten"));
          items.push({ li: li, text: "In alle gemeenten: " + n0 + "." });
        }
      } catch (e) {
        // Deployed on its own: there is no province search to point at.
      }
    }
    for (var i = 0; i < list.length; i++) {
      var chip = list[i];
      var n = await countFor(stateWithout([chip]));
      if (!n) continue;
      var count = plural(n, "resultaat", "resultaten");
      var item = make("li");
      var button = make("button", { type: "button", "class": "knop-rustig",
                                    "data-zonder": chip.facet + ":" + chip.value },
                        "Haal ‘" + chip.label + "’ weg: " + count);
      button.addEventListener("click", removeChips.bind(null, [chip]));
      item.appendChild(button);
      items.push({ li: item, text: "Zonder " + chip.label + ": " + count + "." });
    }
    // Words read as a kern or a target group may have been meant as words to find.
    var asWords = understood.woorden.filter(function (w) {
      return !("dag" in w.filters || "dagdeel" in w.filters || "kosten" in w.filters);
    });
    if (asWords.length) {
      var quoted = (withoutWords(state.q, asWords) + " " + asWords.map(function (w) {
        return '"' + w.woord + '"';
      }).join(" ")).trim();
      var n2 = await countFor({ q: quoted, filters: state.filters });
      if (n2) {
        var words = joinNl(asWords.map(function (w) { return "‘" + w.woord + "’"; }));
        var count2 = plural(n2, "resultaat", "resultaten");
        var li2 = make("li");
        var b2 = make("button", { type: "button", "class": "knop-rustig", "data-als-woord": "" },
                      "Zoek op het woord " + words + ": " + count2);
        b2.addEventListener("click", function () { state.q = quoted; changed(true); });
        li2.appendChild(b2);
        items.push({ li: li2, text: "Met " + words + " als zoekwoord: " + count2 + "." });
      }
    }
    if (seq !== searchSeq) return null;
    var box2 = document.createDocumentFragment();
    box2.appendChild(make("h" + headingLevel, { "class": "zoekgroep-kop" }, "Wat u kunt proberen"));
    var ul = make("ul", { "class": "verder" });
    items.forEach(function (it) { ul.appendChild(it.li); });
    var tiles = themeLinks();
    if (tiles) {
      var li3 = make("li");
      li3.appendChild(make("p", {}, "Kijk bij een thema:"));
      li3.appendChild(tiles);
      ul.appendChild(li3);
    }
    // The page's own ways on (data-zoek-verder-links in the fallback: the gemeente chooser,
    // the kennisbank, the full list).
    var links = el.fallback && el.fallback.querySelector("[data-zoek-verder-links]");
    (links ? Array.prototype.slice.call(links.children) : []).forEach(function (item) {
      var copy = item.cloneNode(true);
      copy.querySelectorAll("a[data-met-zoekvraag]").forEach(function (a) {
        // The same words searched there.
        if (state.q.trim()) a.href = a.getAttribute("href") + "?q=" + encodeURIComponent(state.q.trim());
      });
      ul.appendChild(copy);
    });
    if (!tiles && !items.length && !ul.children.length) {
      ul.appendChild(make("li", {}, "Probeer een ander woord."));
    }
    var help = loket();
    if (help) {
      var li4 = make("li", { "data-zoek-loket-hulp": "" });
      li4.appendChild(help);
      ul.appendChild(li4);
    }
    box2.appendChild(ul);
    return { node: box2, said: items.map(function (it) { return it.text; }) };
  }

  // ------------------------------------------------------------------ search

  async function search() {
    // While a search runs its results are aria-busy; when it is done, data-zoek-klaar on the
    // search box holds the words it answered (scripts and tests wait for that).
    var seq = searchSeq + 1;
    el.results.setAttribute("aria-busy", "true");
    await runSearch();
    if (seq !== searchSeq) return; // a newer search runs and will say when it is done
    el.results.setAttribute("aria-busy", "false");
    box.setAttribute("data-zoek-klaar", state.q);
  }

  async function runSearch() {
    var seq = ++searchSeq;
    window.clearTimeout(statusTimer);
    var understood = understand(state.q, page);
    var filters = effectiveFilters(state.filters, understood);
    var list = chips(filters, understood);
    syncControls(filters);
    showChosen(list);
    if (!understood.tekst && !hasFilters(filters)) {
      view = { understood: understood, filters: filters, result: null };
      showCounts(page.totals);
      el.results.textContent = "";
      el.further.textContent = "";
      el.further.hidden = true;
      if (el.meant) el.meant.hidden = true;
      announce("Typ een zoekwoord of kies een filter.", seq);
      return;
    }
    var result = await zoekIn(own.bereik, understood.tekst, filters);
    if (seq !== searchSeq) return; // a newer search started meanwhile
    view = { understood: understood, filters: filters, result: result };
    showCounts(result.filterAantallen);
    showMeant(result);
    await renderGroups(result, seq);
    if (seq !== searchSeq) return;
    var text = statusText(understood, list, result);
    // A corrected typo is said too, as the line above the results shows it.
    if (result.bedoeld && result.totaal) text = "Bedoelde u ‘" + result.bedoeld + "’? " + text;
    el.further.textContent = "";
    el.further.hidden = true;
    if (result.totaal === 0) {
      el.results.textContent = "";
      var next = await suggestions(understood, filters, list, seq);
      if (!next || seq !== searchSeq) return;
      el.further.appendChild(next.node);
      el.further.hidden = false;
      text += " " + (next.said.length ? next.said.join(" ")
        : themeLinks() ? "Probeer een ander woord of kies een thema." : "Probeer een ander woord.");
    }
    announce(text, seq);
  }

  function showMeant(result) {
    // The engine may correct a typo: "Bedoelde u ...?" with the corrected words.
    if (!el.meant) return;
    el.meant.textContent = "";
    // A correction that finds nothing is no help: then it is not offered.
    el.meant.hidden = !(result.bedoeld && result.totaal);
    if (el.meant.hidden) return;
    el.meant.appendChild(document.createTextNode("Bedoelde u "));
    var button = make("button", { type: "button", "class": "link-knop" }, result.bedoeld);
    button.addEventListener("click", function () { state.q = result.bedoeld; changed(true); });
    el.meant.appendChild(button);
    el.meant.appendChild(document.createTextNode("?"));
  }

  // ------------------------------------------------------------------ events

  function changed(push) {
    saveState(push);
    search().catch(showError);
  }

  function onFilterChange(event) {
    var input = event.target;
    if (input.checked) {
      var list = state.filters[input.name] || (state.filters[input.name] = []);
      if (list.indexOf(input.value) < 0) list.push(input.value);
      changed(true);
      return;
    }
    // Unticking a value also removes the words it came from.
    var current = view ? chips(view.filters, view.understood) : [];
    var chip = current.filter(function (c) { return c.facet === input.name && c.value === input.value; })[0];
    removeChips([chip || { facet: input.name, value: input.value, from: [] }]);
  }

  function onRemoveChip(event) {
    var button = event.currentTarget;
    var buttons = Array.prototype.slice.call(el.chosen.querySelectorAll("button[data-facet]"));
    var index = buttons.indexOf(button);
    var current = view ? chips(view.filters, view.understood) : [];
    var chip = current.filter(function (c) {
      return c.facet === button.getAttribute("data-facet") && c.value === button.getAttribute("data-waarde");
    })[0];
    if (chip) removeChips([chip]);
    // Keep keyboard users in place: focus the next chosen filter, or the search field.
    var rest = el.chosen.querySelectorAll("button[data-facet]");
    var next = rest[Math.min(index, rest.length - 1)];
    (next || el.input).focus();
  }

  function onInput() {
    lastInputAt = Date.now();
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
    lastInputAt = 0;
    state.q = el.input.value;
    changed(true);
  }

  function onPopState() {
    state = readState();
    lastInputAt = 0;
    search().catch(showError);
  }

  function showError() {
    el.status.textContent = "Zoeken lukt nu niet. Gebruik de links hieronder.";
    if (el.fallback) el.fallback.hidden = false;
  }

  // ------------------------------------------------------------------ start

  async function start() {
    var info;
    try {
      info = await loadInfo(own.filters);
      page = await machine(own.bereik);
    } catch (e) {
      showError();
      return;
    }
    (info.filters || []).forEach(function (f) {
      FACETS.push([f.naam, f.label]);
      if (f.volgorde && f.volgorde.length) VALUE_ORDER[f.naam] = f.volgorde;
      if (f.waarden && Object.keys(f.waarden).length) VALUE_LABELS[f.naam] = f.waarden;
    });
    buildFilters();
    state = readState();
    if (el.fallback) el.fallback.hidden = true;
    el.form.hidden = false;
    el.layout.hidden = false;
    var folded = box.hasAttribute("data-filters-dicht") ||
      window.matchMedia("(max-width: 48rem)").matches;
    if (el.filterBlock && folded && !hasFilters(state.filters)) {
      el.filterBlock.open = false; // on a phone (and on the province page) the filters fold away
    }
    el.form.addEventListener("submit", onSubmit);
    el.input.addEventListener("input", onInput);
    window.addEventListener("popstate", onPopState);
    await search();
  }

  start().catch(showError);
})();
