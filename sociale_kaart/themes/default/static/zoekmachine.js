/* The site's search engine: reads the index that site/search_index.py writes. No dependencies.
 *
 *   var machine = Zoekmachine.open({bereik: "gemeente" | "provincie", basis: "../"});
 *   machine.zoek("koffie ochtend", {thema: ["Ontmoeten"]}).then(function (r) { ... });
 *
 * basis: the folder (relative to the page) that holds zoekindex.json: a gemeente or the
 * kennisbank folder ("gemeente": a section with the full text of its pages), or the site root
 * ("provincie": titles, summaries, labels and search aids of every section, no full text).
 *
 * zoek(woorden, filters) resolves to
 *   {totaal, groepen: {bewoners: [...], organisaties: [...], praktijken: [...]},
 *    filterAantallen: {filter: {waarde: n}}, bedoeld: "gecorrigeerde woorden" | null,
 *    onbekend: [woorden], deels: bool}
 * Each result is {id, url, data: () => Promise<kaartje>}. The cards of the first FIRST results
 * (in group order) are loaded before zoek() resolves, so their url is set; the url of a later
 * result is null until its data() resolved (the cards of all results would not stay small).
 * A kaartje has url (below basis, starting with "/"), href (absolute), titel, samenvatting,
 * soort, gemeente, kern, filters ({filter: [waarden]}) and the page's data-pagefind-meta.
 * Filters: OR within a filter, AND across filters; the counts of a filter with chosen values
 * leave out that filter's own choice (they say what choosing one more value gives).
 *
 * Matching. A query word matches a page that has the word, a longer word that starts with it
 * (Dutch compounds: "lotgenoten" -> "lotgenotencontact"; the page's own search aids hold the
 * other parts: "huis" -> "buurthuis"), or one of its stems; never a shorter word (no
 * "backtracking": "dementie" never matches "de"). An unknown word of 5 letters or more is
 * corrected to a word of the index at edit distance 1 (2 from 8 letters), reported in
 * `bedoeld`; else it matches nothing and is reported in `onbekend` (and the query finds
 * nothing: an unknown word is never dropped). All known words must match;
 * when no page has them all, pages with some of them are given (deels: true), most first.
 * Ranking: the groups in their order (residents first), then pages that match more words,
 * then pages that match in the title or summary before the body, then the score.
 */
(function () {
  "use strict";

  var CODE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VOWELS = "aeiouy";
  var WORD = /[\p{L}\p{M}]+(?:-[\p{L}\p{M}]+)*/gu;
  var KIND = { exact: 1.0, typo: 0.9, stem: 0.9, prefix: 0.75 };
  var MIN_STEM = 4; // as search_index.MIN_STEM
  var FIRST = 10; // results whose card (and url) zoek() loads before it resolves

  // ------------------------------------------------------------------ Dutch words
  // The same rules as sociale_kaart/nl (text.fold, compounds.tokens and compounds.stems);
  // tests/test_relevance.py checks that both give the same words.

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
  }

  function tokens(text) {
    var out = [];
    (fold(text).match(WORD) || []).forEach(function (word) {
      if (word.indexOf("-") >= 0) {
        out.push(word.replace(/-/g, ""));
        word.split("-").forEach(function (p) { out.push(p); });
      } else {
        out.push(word);
      }
    });
    return out;
  }

  function isVowel(c) { return VOWELS.indexOf(c) >= 0; }

  function stems(word) {
    var w = word.toLowerCase();
    var out = [];
    function add(s) { if (s.length >= 3 && s !== w && out.indexOf(s) < 0) out.push(s); }
    var n = w.length;
    if (/jes$/.test(w) && n >= 7) add(w.slice(0, -3));
    else if (/je$/.test(w) && n >= 6) add(w.slice(0, -2));
    if (/(ers|els|ens)$/.test(w) && n >= 6) add(w.slice(0, -1));
    if (/en$/.test(w) && n >= 5) {
      var base = w.slice(0, -2);
      var b = base.length;
      var undoubled = b >= 3 && base[b - 1] === base[b - 2] && !isVowel(base[b - 1]);
      if (undoubled) { base = base.slice(0, -1); b -= 1; }
      add(base);
      var syllables = (base.match(/[aeiouy]+/g) || []).length;
      if (!undoubled && syllables === 1 && b >= 3 && !isVowel(base[b - 1]) &&
          isVowel(base[b - 2]) && !isVowel(base[b - 3]) && base[b - 2] !== "i") {
        add(base.slice(0, -1) + base[b - 2] + base[b - 1]);
      }
    }
    return out;
  }

  // Edit distance with transpositions (optimal string alignment), or limit + 1 when larger.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var row = [i], best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        row.push(d);
        if (d < best) best = d;
      }
      if (best > limit) return limit + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  function typoLimit(word) { return word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0; }

  // ------------------------------------------------------------------ the index

  function Index(bereik, basis) {
    this.bereik = bereik;
    this.base = new URL(basis || "./", document.baseURI);
    this.manifest = null;
    this.loading = null;
    this.chunks = {};
    this.cards = {};
    this.allRows = null;
  }

  Index.prototype.json = function (path) {
    return fetch(new URL(path, this.base)).then(function (response) {
      if (!response.ok) throw new Error("zoekindex: " + response.status + " " + path);
      return response.json();
    });
  };

  Index.prototype.ready = function () {
    var self = this;
    if (!this.loading) {
      this.loading = this.json("zoekindex.json").then(function (m) {
        self.manifest = m;
        self.folder = "zoekindex/" + m.versie + "/";
        self.stop = {};
        m.stopwoorden.forEach(function (w) { self.stop[w] = true; });
        self.valueId = {};
        self.soortGroup = {};
        m.waarden.forEach(function (pair, i) {
          self.valueId[pair[0] + "\u0000" + pair[1]] = i;
          if (pair[0] === "soort") self.soortGroup[i] = m.groepen[pair[1]] || m.groepVolgorde[0];
        });
        return m;
      });
    }
    return this.loading;
  };

  // The chunk where `word` belongs (its first word is at most `word`).
  Index.prototype.chunkOf = function (word) {
    var firsts = this.manifest.delen, lo = 0, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= word) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  // The chunks that hold `word` and the longer words that start with it.
  Index.prototype.chunksFrom = function (word) {
    var firsts = this.manifest.delen, i = this.chunkOf(word), out = [i];
    for (var j = i + 1; j < firsts.length && firsts[j].indexOf(word) === 0; j++) out.push(j);
    return out;
  };

  Index.prototype.chunk = function (n) {
    if (!this.chunks[n]) {
      this.chunks[n] = this.json(this.folder + "w/" + n + ".json").then(function (raw) {
        var docs = [], id = 0;
        raw.d.forEach(function (delta) { id += delta; docs.push(id); });
        var words = {}, frequent = {};
        raw.w.forEach(function (entry) { words[entry[0]] = entry[1]; });
        // Frequent words: postings by document number, and their filter counts (no codes).
        (raw.g || []).forEach(function (entry) {
          var doc = 0, items = [];
          entry[1].forEach(function (item) { doc += item >> 2; items.push([doc, item & 3]); });
          frequent[entry[0]] = { items: items, counts: entry[2] };
          words[entry[0]] = null;
        });
        return { docs: docs, rows: raw.r, words: words, frequent: frequent };
      });
    }
    return this.chunks[n];
  };

  Index.prototype.decodeRow = function (row) {
    var width = this.manifest.breedte, ids = [];
    for (var i = 0; i < row.length; i += width) {
      var n = 0;
      for (var k = 0; k < width; k++) n = n * CODE.length + CODE.indexOf(row[i + k]);
      ids.push(n);
    }
    return ids;
  };

  // doc -> {level, kind} for one index word of a loaded chunk (best kept in `into`).
  function collect(chunk, word, kind, into, rows, frequent) {
    var often = chunk.frequent[word];
    if (often) {
      often.items.forEach(function (item) {
        var score = (item[1] + 1) * KIND[kind], had = into[item[0]];
        if (!had || score > had.score) into[item[0]] = { level: item[1], score: score };
      });
      frequent.push(often);
      return;
    }
    var items = chunk.words[word];
    if (!items) return;
    var index = 0;
    for (var i = 0; i < items.length; i++) {
      index += items[i] >> 2;
      var level = items[i] & 3;
      var doc = chunk.docs[index];
      var score = (level + 1) * KIND[kind];
      var had = into[doc];
      if (!had || score > had.score) into[doc] = { level: level, score: score };
      if (!(doc in rows)) rows[doc] = chunk.rows[index];
    }
  }

  // Match one query word: {docs: {doc: {level, score}}, corrected: word | null}.
  Index.prototype.match = async function (word, rows) {
    var self = this;
    var forms = stems(word).filter(function (s) { return s.length >= MIN_STEM; });
    var around = this.chunksFrom(word);
    var needed = around.concat(forms.map(function (s) { return self.chunkOf(s); }));
    var loaded = {};
    await Promise.all(needed.map(function (n) {
      return self.chunk(n).then(function (c) { loaded[n] = c; });
    }));
    var docs = {}, found = false, frequent = [];
    around.forEach(function (n) {
      var chunk = loaded[n];
      Object.keys(chunk.words).forEach(function (w) {
        if (w.indexOf(word) !== 0) return;
        collect(chunk, w, w === word ? "exact" : "prefix", docs, rows, frequent);
        found = true;
      });
    });
    forms.forEach(function (s) {
      var chunk = loaded[self.chunkOf(s)];
      if (s in chunk.words) { collect(chunk, s, "stem", docs, rows, frequent); found = true; }
    });
    if (found) return { docs: docs, corrected: null, frequent: frequent };
    // A typo? The closest word of the chunk where the word belongs (most pages on a tie).
    var limit = typoLimit(word), best = null, bestDistance = limit + 1, bestCount = 0;
    if (limit) {
      var chunk = loaded[around[0]];
      Object.keys(chunk.words).forEach(function (w) {
        var d = distance(word, w, limit);
        var count = chunk.words[w] ? chunk.words[w].length : chunk.frequent[w].items.length;
        if (d < bestDistance || (d === bestDistance && d <= limit && count > bestCount)) {
          best = w; bestDistance = d; bestCount = count;
        }
      });
      if (best !== null && bestDistance <= limit) {
        collect(chunk, best, "typo", docs, rows, frequent);
        return { docs: docs, corrected: best, frequent: frequent };
      }
    }
    return null;
  };

  Index.prototype.everything = function (rows) {
    var self = this;
    if (!this.allRows) {
      var files = [];
      for (var i = 0; i < this.manifest.alle; i++) files.push(this.json(this.folder + "a/" + i + ".json"));
      this.allRows = Promise.all(files).then(function (parts) {
        return [].concat.apply([], parts);
      });
    }
    return this.allRows.then(function (all) {
      var docs = {};
      all.forEach(function (row, doc) { docs[doc] = { level: 0, score: 0 }; rows[doc] = row; });
      return docs;
    });
  };

  // Load the filter codes of `docs` that no loaded chunk had (documents of frequent words)
  // from the files of all codes, only the files that hold them.
  Index.prototype.loadRows = async function (docs, rows) {
    var self = this, size = this.manifest.alleBlok, files = {};
    this.rowFiles = this.rowFiles || {};
    docs.forEach(function (doc) { files[Math.floor(doc / size)] = true; });
    await Promise.all(Object.keys(files).map(function (n) {
      if (!self.rowFiles[n]) self.rowFiles[n] = self.json(self.folder + "a/" + n + ".json");
      return self.rowFiles[n].then(function (part) {
        part.forEach(function (row, i) {
          var doc = +n * size + i;
          if (!(doc in rows)) rows[doc] = row;
        });
      });
    }));
  };

  // The group of a document by its number (documents are numbered by group).
  Index.prototype.groupByNumber = function (doc) {
    var m = this.manifest, group = m.groepVolgorde[0];
    m.groepBegin.forEach(function (start, i) { if (doc >= start) group = m.groepVolgorde[i]; });
    return group;
  };

  Index.prototype.card = function (doc) {
    var self = this, size = this.manifest.blok, block = Math.floor(doc / size);
    if (!this.cards[block]) this.cards[block] = this.json(this.folder + "k/" + block + ".json");
    return this.cards[block].then(function (cards) {
      var card = Object.assign({}, cards[doc - block * size]);
      var f = card.filters || {};
      ["soort", "gemeente", "kern"].forEach(function (k) {
        if (!(k in card) && f[k] && f[k].length) card[k] = f[k].join(", ");
      });
      card.href = new URL(card.url.replace(/^\//, ""), self.base).href;
      return card;
    });
  };

  // The words of a query; a hyphenated word counts as its parts.
  function words(query) {
    if (Array.isArray(query)) query = query.join(" ");
    var out = [];
    (fold(query || "").match(WORD) || []).forEach(function (word) {
      word.split("-").forEach(function (w) { if (w && out.indexOf(w) < 0) out.push(w); });
    });
    return out;
  }

  Index.prototype.search = async function (query, filters) {
    var self = this;
    await this.ready();
    var m = this.manifest;
    filters = filters || {};
    // Stop words are not in the index: a query of stop words only finds nothing.
    var all = words(query);
    var asked = all.filter(function (w) { return !self.stop[w] && w.length > 1; });
    var rows = {};
    var matched = await Promise.all(asked.map(function (w) { return self.match(w, rows); }));
    var known = [], unknown = [], corrected = false, shown = [];
    asked.forEach(function (w, i) {
      if (matched[i]) {
        known.push(matched[i]);
        if (matched[i].corrected) corrected = true;
        shown.push(matched[i].corrected || w);
      } else {
        unknown.push(w);
      }
    });
    var candidates = {}, partial = false;
    if (!all.length) {
      candidates = await this.everything(rows);
    } else if (known.length && !unknown.length) {
      // A word the index does not know (nor a typo of) matches no page: never drop it.
      var sets = known.map(function (k) { return k.docs; });
      var every = Object.keys(sets[0]).filter(function (doc) {
        return sets.every(function (s) { return doc in s; });
      });
      var chosen = every;
      if (!every.length && sets.length > 1) {
        partial = true;
        var union = {};
        sets.forEach(function (s) { Object.keys(s).forEach(function (doc) { union[doc] = true; }); });
        chosen = Object.keys(union);
      }
      chosen.forEach(function (doc) {
        var coverage = 0, head = 0, score = 0;
        sets.forEach(function (s) {
          var hit = s[doc];
          if (!hit) return;
          coverage += 1;
          if (hit.level >= 2) head += 1;
          score += hit.score;
        });
        candidates[doc] = { coverage: coverage, head: head, score: score };
      });
    }

    // Filters: OR within a filter, AND across; counts leave out the filter's own choice.
    var names = Object.keys(filters).filter(function (n) { return filters[n] && filters[n].length; });
    var missing = Object.keys(candidates).filter(function (doc) { return !(doc in rows); });
    if (missing.length) {
      // Documents of frequent words. One word and no filters: the counts stored with the word
      // that has every document found (its compounds' documents have it too, mostly).
      var total = Object.keys(candidates).length, whole = null;
      if (!names.length && known.length === 1) {
        known[0].frequent.forEach(function (f) { if (f.items.length === total) whole = f; });
      }
      if (whole) return this.precounted(candidates, whole, corrected ? shown : null, unknown,
                                        partial);
      await this.loadRows(missing.map(Number), rows);
    }
    var wanted = names.map(function (n) {
      var ids = {};
      filters[n].forEach(function (v) {
        var id = self.valueId[n + "\u0000" + v];
        if (id !== undefined) ids[id] = true;
      });
      return ids;
    });
    var counts = {}, kept = [];
    function count(id) {
      var pair = m.waarden[id];
      var byValue = counts[pair[0]] || (counts[pair[0]] = {});
      byValue[pair[1]] = (byValue[pair[1]] || 0) + 1;
    }
    Object.keys(candidates).forEach(function (doc) {
      var ids = self.decodeRow(rows[doc] || "");
      var failed = [];
      for (var i = 0; i < names.length; i++) {
        if (!ids.some(function (id) { return wanted[i][id]; })) failed.push(names[i]);
        if (failed.length > 1) break;
      }
      if (failed.length > 1) return;
      ids.forEach(function (id) {
        if (!failed.length || m.waarden[id][0] === failed[0]) count(id);
      });
      if (failed.length) return;
      var group = m.groepVolgorde[0];
      ids.forEach(function (id) { if (id in self.soortGroup) group = self.soortGroup[id]; });
      var c = candidates[doc];
      kept.push({ doc: +doc, group: group, coverage: c ? c.coverage || 0 : 0,
                  head: c ? c.head || 0 : 0, score: c ? c.score || 0 : 0 });
    });
    var rank = {};
    m.groepVolgorde.forEach(function (g, i) { rank[g] = i; });
    kept.sort(function (a, b) {
      return (rank[a.group] - rank[b.group]) || (b.coverage - a.coverage) ||
        (b.head - a.head) || (b.score - a.score) || (a.doc - b.doc);
    });
    var groups = {};
    m.groepVolgorde.forEach(function (g) { groups[g] = []; });
    kept.forEach(function (k) { groups[k.group].push(self.result(k.doc)); });
    return {
      totaal: kept.length, groepen: groups, filterAantallen: counts,
      bedoeld: corrected ? shown.join(" ") : null, onbekend: unknown, deels: partial
    };
  };

  Index.prototype.precounted = function (candidates, frequent, corrected, unknown, partial) {
    var self = this, m = this.manifest, counts = {}, groups = {}, rank = {};
    frequent.counts.forEach(function (pair) {
      var value = m.waarden[pair[0]];
      (counts[value[0]] || (counts[value[0]] = {}))[value[1]] = pair[1];
    });
    m.groepVolgorde.forEach(function (g, i) { groups[g] = []; rank[g] = i; });
    var kept = Object.keys(candidates).map(function (doc) {
      var c = candidates[doc];
      return { doc: +doc, group: self.groupByNumber(+doc), coverage: c.coverage, head: c.head,
               score: c.score };
    });
    kept.sort(function (a, b) {
      return (rank[a.group] - rank[b.group]) || (b.coverage - a.coverage) ||
        (b.head - a.head) || (b.score - a.score) || (a.doc - b.doc);
    });
    kept.forEach(function (k) { groups[k.group].push(self.result(k.doc)); });
    return {
      totaal: kept.length, groepen: groups, filterAantallen: counts,
      bedoeld: corrected ? corrected.join(" ") : null, onbekend: unknown, deels: partial
    };
  };

  Index.prototype.result = function (doc) {
    var self = this;
    var result = { id: doc, url: null, data: function () {
      return self.card(doc).then(function (card) { result.url = card.url; return card; });
    } };
    return result;
  };

  Index.prototype.totals = async function () {
    await this.ready();
    var m = this.manifest, out = {};
    m.waarden.forEach(function (pair, i) {
      (out[pair[0]] || (out[pair[0]] = {}))[pair[1]] = m.totalen[i];
    });
    return out;
  };

  function open(options) {
    options = options || {};
    var index = new Index(options.bereik || "gemeente", options.basis);
    return {
      bereik: index.bereik,
      zoek: function (woorden, filters) {
        return index.search(woorden, filters).then(function (r) {
          var first = [];
          index.manifest.groepVolgorde.forEach(function (g) {
            first = first.concat(r.groepen[g].slice(0, FIRST - first.length));
          });
          return Promise.all(first.map(function (x) { return x.data(); })).then(function () {
            return r;
          });
        });
      },
      totalen: function () { return index.totals(); },
      klaar: function () { return index.ready(); }
    };
  }

  window.Zoekmachine = { open: open, fold: fold, tokens: tokens, stems: stems, afstand: distance };
})();
