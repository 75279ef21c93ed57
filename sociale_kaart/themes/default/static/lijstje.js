/* Mijn lijstje: a welzijnscoach collects activities from any card of any gemeente, orders them,
   and prints them as a hand-out for a client or shares them as a link.

   - One list per browser for the whole site (localStorage, KEY), each item {g, s, t}: gemeente,
     slug, title. Lists saved per gemeente by earlier versions (OLD_PREFIX + the lijstje page's
     path) are taken over once.
   - Any element with data-lijstje-item='{"url": "/<g>/activiteiten/<slug>/", "titel": "...",
     "gemeente": "<g>"}' gets a toggle button ("Zet op mijn lijstje" / "Staat op mijn lijstje",
     aria-pressed). Content added later (search results) calls window.MijnLijstje.verrijk(el).
   - The lijstje page ([data-lijstje-pagina]) fetches each listed activity's own page and takes
     its hand-out block (<template data-lijstje-uitdeel>), so it scales with the list, not with
     the gemeente. Its link (?a=g/slug,slug,g2/slug) rebuilds the list on another device; the
     QR code of that link is drawn here with the vendored qrcode-generator (qrcode.js).
   - Without JavaScript none of this is shown: the buttons are made here, and the page's own
     controls are hidden until this script shows them. */
(function () {
  "use strict";
  var KEY = "sociale-kaart-mijn-lijstje";
  var OLD_PREFIX = "sociale-kaart-lijstje:";
  var MAX = 60;  // items on one list (a hand-out, not a database)
  var SLUG = /^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$/;

  // ------------------------------------------------------------------ the list in this browser

  function id(item) { return item.g + "/" + item.s; }

  function clean(list) {
    var seen = {};
    var out = [];
    (Array.isArray(list) ? list : []).forEach(function (it) {
      if (!it || !SLUG.test(it.g) || !SLUG.test(it.s) || seen[id(it)] || out.length >= MAX) return;
      seen[id(it)] = true;
      out.push({ g: it.g, s: it.s, t: typeof it.t === "string" ? it.t.slice(0, 300) : "" });
    });
    return out;
  }

  function read() {
    try { return clean(JSON.parse(localStorage.getItem(KEY) || "[]")); } catch (e) { return []; }
  }

  function write(list) {
    try { localStorage.setItem(KEY, JSON.stringify(list)); } catch (e) { /* private mode: the link still works */ }
  }

  // Lists of earlier versions: one per gemeente, under the lijstje page's path, slugs only.
  function migrate() {
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        if (k && k.indexOf(OLD_PREFIX) === 0) keys.push(k);
      }
    } catch (e) { return; }
    if (!keys.length) return;
    var list = read();
    keys.sort().forEach(function (k) {
      var parts = k.slice(OLD_PREFIX.length).split("/").filter(Boolean);
      var at = parts.lastIndexOf("lijstje");
      var g = at > 0 ? parts[at - 1] : "";
      var slugs = [];
      try { slugs = JSON.parse(localStorage.getItem(k) || "[]"); } catch (e) { slugs = []; }
      if (SLUG.test(g) && Array.isArray(slugs)) {
        slugs.forEach(function (s) { if (typeof s === "string") list.push({ g: g, s: s, t: "" }); });
      }
      try { localStorage.removeItem(k); } catch (e) { /* ignore */ }
    });
    write(clean(list));
  }

  var listeners = [];
  var state = { list: [] };

  function save(list) {
    state.list = clean(list);
    write(state.list);
    changed();
  }

  function changed() {
    listeners.forEach(function (f) { f(state.list); });
  }

  function has(g, s) {
    return state.list.some(function (it) { return it.g === g && it.s === s; });
  }

  // ------------------------------------------------------------------ buttons on cards

  // The item of a card: its gemeente and slug from the contract's JSON.
  function itemOf(el) {
    var data;
    try { data = JSON.parse(el.getAttribute("data-lijstje-item") || "null"); } catch (e) { return null; }
    if (!data || typeof data.url !== "string") return null;
    var m = /\/([a-z0-9-]+)\/activiteiten\/([a-z0-9-]+)\/?(?:index\.html)?$/.exec(data.url.split(/[?#]/)[0]);
    if (!m) return null;
    var g = typeof data.gemeente === "string" && data.gemeente ? data.gemeente : m[1];
    if (!SLUG.test(g) || !SLUG.test(m[2])) return null;
    return { g: g, s: m[2], t: typeof data.titel === "string" ? data.titel : "" };
  }

  var buttons = [];

  // The visible text, and the activity's name for screen readers (the visible text first: WCAG
  // 2.5.3, label in name).
  function label(btn, on) {
    var text = on ? "Staat op mijn lijstje" : "Zet op mijn lijstje";
    btn.setAttribute("aria-pressed", on ? "true" : "false");
    btn.textContent = text;
    if (btn.lijstjeItem.t) btn.setAttribute("aria-label", text + ": " + btn.lijstjeItem.t);
  }

  function button(el) {
    if (el.hasAttribute("data-lijstje-klaar")) return;
    var item = itemOf(el);
    if (!item) return;
    el.setAttribute("data-lijstje-klaar", "");
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "lijstje-knop niet-printen";
    btn.lijstjeItem = item;
    label(btn, has(item.g, item.s));
    btn.addEventListener("click", function () {
      var list = state.list.slice();
      if (has(item.g, item.s)) {
        list = list.filter(function (it) { return !(it.g === item.g && it.s === item.s); });
      } else if (list.length >= MAX) {
        announce(el, "Uw lijstje is vol (" + MAX + " activiteiten). Haal er eerst iets af.");
        return;
      } else {
        list.push(item);
      }
      save(list);
    });
    var slot = el.querySelector("[data-lijstje-plek]");
    (slot || el).appendChild(btn);
    buttons.push(btn);
  }

  function announce(el, text) {
    var status = document.querySelector("[data-lijstje-status]");
    if (status) status.textContent = text; else window.alert(text);
  }

  function verrijk(root) {
    var scope = root || document;
    if (scope.nodeType === 1 && scope.hasAttribute("data-lijstje-item")) button(scope);
    if (scope.querySelectorAll) scope.querySelectorAll("[data-lijstje-item]").forEach(button);
  }

  listeners.push(function (list) {
    buttons = buttons.filter(function (b) { return b.isConnected; });
    buttons.forEach(function (b) { label(b, has(b.lijstjeItem.g, b.lijstjeItem.s)); });
    document.querySelectorAll("[data-lijstje-teller]").forEach(function (el) {
      el.textContent = list.length ? String(list.length) : "";
    });
  });

  // ------------------------------------------------------------------ the share link

  // ?a=vechtstad/koffie-inloop,taalcafe,heuveldorp/dorpsmaaltijd: an item without a gemeente has
  // the one before it (the first, in links of earlier versions: the lijstje page's own gemeente).
  function encode(list) {
    var last = "";
    return list.map(function (it) {
      var part = it.g === last ? it.s : it.g + "/" + it.s;
      last = it.g;
      return part;
    }).join(",");
  }

  function decode(text, g) {
    var out = [];
    var last = g || "";
    String(text || "").split(",").forEach(function (part) {
      var bits = part.trim().split("/");
      if (bits.length === 2) { last = bits[0]; bits = [bits[1]]; }
      if (bits.length === 1 && SLUG.test(last) && SLUG.test(bits[0])) out.push({ g: last, s: bits[0], t: "" });
    });
    return clean(out);
  }

  // ------------------------------------------------------------------ the lijstje page

  function lijstjePage(page, nav) {
    var root = new URL(nav.getAttribute("data-lijstje-root") || "../", location.href);
    var here = nav.getAttribute("data-lijstje-gemeente") || "";
    var hereUrl = here ? new URL(nav.getAttribute("data-lijstje-gemeente-url") || "./", location.href) : null;
    var q = function (sel) { return page.querySelector(sel); };
    var status = q("[data-lijstje-status]");
    var itemsEl = q("[data-lijstje-items]");
    var loaded = {};  // id -> Promise of {titel, gemeente, node} (or null: not found)
    var rows = {};    // id -> <li>

    q("[data-lijstje-zonder-js]").hidden = true;
    q("[data-lijstje-uitleg]").hidden = false;

    function pageUrl(it) {
      var base = it.g === here && hereUrl ? hereUrl : new URL(it.g + "/", root);
      return new URL("activiteiten/" + it.s + "/", base);
    }

    function shareUrl() {
      var u = new URL(location.href);
      u.search = state.list.length ? "?a=" + encode(state.list) : "";
      u.hash = "";
      return u.href;
    }

    function load(it) {
      var key = id(it);
      if (!loaded[key]) {
        loaded[key] = fetch(pageUrl(it).href, { credentials: "same-origin" }).then(function (r) {
          if (!r.ok) return null;
          return r.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var tpl = doc.querySelector("template[data-lijstje-uitdeel]");
            if (!tpl) return null;
            return { titel: tpl.getAttribute("data-titel") || "", gemeente: tpl.getAttribute("data-gemeente") || "",
                     node: document.importNode(tpl.content, true) };
          });
        }).catch(function () { return null; });
      }
      return loaded[key];
    }

    function smallButton(text, name, kind) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "knop knop-rustig knop-klein";
      b.setAttribute("data-lijstje-" + kind, "");
      b.textContent = text;
      b.setAttribute("aria-label", text + ": " + name);
      return b;
    }

    function titleOf(it) { return it.t || it.s.replace(/-/g, " "); }

    function row(it) {
      var key = id(it);
      if (rows[key]) return rows[key];
      var li = document.createElement("li");
      li.className = "lijstje-item";
      li.setAttribute("data-lijstje-id", key);
      var h = document.createElement("h2");
      var a = document.createElement("a");
      a.href = pageUrl(it).href;
      a.textContent = titleOf(it);
      h.appendChild(a);
      var where = document.createElement("span");
      where.className = "lijstje-gemeente small";
      h.appendChild(where);
      li.appendChild(h);
      var body = document.createElement("div");
      body.className = "lijstje-uitdeel";
      body.textContent = "Even geduld: de gegevens worden opgehaald.";
      li.appendChild(body);
      var knoppen = document.createElement("div");
      knoppen.className = "lijstje-item-knoppen niet-printen";
      var up = smallButton("Omhoog", titleOf(it), "omhoog");
      var down = smallButton("Omlaag", titleOf(it), "omlaag");
      var del = smallButton("Haal van lijstje", titleOf(it), "weg");
      up.addEventListener("click", function () { move(key, -1); });
      down.addEventListener("click", function () { move(key, 1); });
      del.addEventListener("click", function () { remove(key); });
      knoppen.appendChild(up);
      knoppen.appendChild(down);
      knoppen.appendChild(del);
      li.appendChild(knoppen);
      rows[key] = li;
      load(it).then(function (info) {
        if (!info) {
          body.textContent = "Deze activiteit is niet (meer) te vinden op de site. Haal haar van het lijstje.";
          li.classList.add("lijstje-weg");
          return;
        }
        body.textContent = "";
        body.appendChild(info.node);
        if (info.titel) {
          a.textContent = info.titel;
          // Keep the title for the next time (and for the buttons' names).
          var list = state.list.map(function (x) { return id(x) === key ? { g: x.g, s: x.s, t: info.titel } : x; });
          state.list = clean(list);
          write(state.list);
        }
        if (info.gemeente) where.setAttribute("data-naam", info.gemeente);
        showGemeenten();
      });
      return li;
    }

    // The gemeente's name beside each title, when the list holds more than one gemeente.
    function showGemeenten() {
      var many = state.list.some(function (it) { return it.g !== state.list[0].g; });
      Object.keys(rows).forEach(function (key) {
        var span = rows[key].querySelector(".lijstje-gemeente");
        var naam = span.getAttribute("data-naam") || key.split("/")[0];
        span.textContent = many ? " (" + naam + ")" : "";
      });
    }

    function move(key, step) {
      var list = state.list.slice();
      var i = list.findIndex(function (it) { return id(it) === key; });
      var j = i + step;
      if (i < 0 || j < 0 || j >= list.length) return;
      var it = list.splice(i, 1)[0];
      list.splice(j, 0, it);
      save(list);
      var btn = rows[key].querySelector(step < 0 ? "[data-lijstje-omhoog]" : "[data-lijstje-omlaag]");
      if (btn.hidden) btn = rows[key].querySelector(step < 0 ? "[data-lijstje-omlaag]" : "[data-lijstje-omhoog]");
      btn.focus();
      status.textContent = titleOf(it) + " staat nu op plaats " + (j + 1) + " van " + list.length + ".";
    }

    function remove(key) {
      var list = state.list.slice();
      var i = list.findIndex(function (it) { return id(it) === key; });
      if (i < 0) return;
      var it = list.splice(i, 1)[0];
      save(list);
      var next = list[i] || list[i - 1];
      if (next) {
        rows[id(next)].querySelector("[data-lijstje-weg]").focus();
      } else {
        var h1 = page.querySelector("h1");
        h1.setAttribute("tabindex", "-1");
        h1.focus();
      }
      status.textContent = titleOf(it) + " is van het lijstje gehaald.";
    }

    function render(list) {
      var keep = {};
      list.forEach(function (it, n) {
        var li = row(it);
        keep[id(it)] = true;
        if (itemsEl.children[n] !== li) itemsEl.insertBefore(li, itemsEl.children[n] || null);
        li.querySelector("[data-lijstje-omhoog]").hidden = n === 0;
        li.querySelector("[data-lijstje-omlaag]").hidden = n === list.length - 1;
      });
      Object.keys(rows).forEach(function (key) {
        if (!keep[key]) { rows[key].remove(); delete rows[key]; }
      });
      q("[data-lijstje-leeg]").hidden = list.length > 0;
      q("[data-lijstje-inhoud]").hidden = list.length === 0;
      var link = q("[data-lijstje-adres]");
      link.href = shareUrl();
      link.textContent = shareUrl();
      drawQr();
      if (list.length) showGemeenten();
    }

    function drawQr() {
      var box = q("[data-lijstje-qr]");
      box.textContent = "";
      if (!state.list.length || typeof window.qrcode !== "function") return;
      var qr;
      try {
        qr = window.qrcode(0, "M");
        qr.addData(shareUrl());
        qr.make();
      } catch (e) { return; }  // too long for a QR code: the address is printed as text
      var n = qr.getModuleCount();
      var quiet = 4;
      var d = [];
      for (var r = 0; r < n; r++) {
        for (var c = 0; c < n; c++) {
          if (qr.isDark(r, c)) d.push("M" + (c + quiet) + " " + (r + quiet) + "h1v1h-1z");
        }
      }
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      var size = n + 2 * quiet;
      svg.setAttribute("viewBox", "0 0 " + size + " " + size);
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "QR-code met de link naar dit lijstje");
      svg.setAttribute("shape-rendering", "crispEdges");
      var bg = document.createElementNS(ns, "rect");
      bg.setAttribute("width", String(size));
      bg.setAttribute("height", String(size));
      bg.setAttribute("fill", "#fff");
      var path = document.createElementNS(ns, "path");
      path.setAttribute("d", d.join(""));
      path.setAttribute("fill", "#000");
      svg.appendChild(bg);
      svg.appendChild(path);
      box.appendChild(svg);
    }

    // A shared link: its list replaces the one in this browser (the previous one can be put back).
    var params = new URLSearchParams(location.search);
    if (params.has("a")) {
      var shared = decode(params.get("a"), here);
      var before = state.list;
      var same = encode(before) === encode(shared);
      if (shared.length && !same) {
        save(shared);
        if (before.length) {
          var back = document.createElement("button");
          back.type = "button";
          back.className = "knop knop-rustig knop-klein";
          back.textContent = "Zet mijn vorige lijstje terug";
          back.addEventListener("click", function () {
            save(before);
            status.textContent = "Uw vorige lijstje staat weer hier.";
          });
          status.textContent = "U ziet het lijstje uit de link. Uw vorige lijstje (" + before.length +
            (before.length === 1 ? " activiteit" : " activiteiten") + ") is vervangen. ";
          status.appendChild(back);
        }
      }
      // The address bar shows the page itself from now on: the list lives in this browser, so a
      // reload or the Back button never brings an old list back.
      history.replaceState(null, "", location.pathname);
    }

    listeners.push(render);
    render(state.list);
    // qrcode.js is loaded after this script (both deferred): draw the code once it is there.
    document.addEventListener("DOMContentLoaded", drawQr);
    window.addEventListener("load", drawQr);

    var coachIn = q("[data-lijstje-coach-invoer]");
    var noteIn = q("[data-lijstje-notitie-invoer]");
    function copyText() {
      q("[data-lijstje-coach]").textContent = coachIn.value.trim();
      q("[data-lijstje-notitie]").textContent = noteIn.value.trim();
    }
    coachIn.addEventListener("input", copyText);
    noteIn.addEventListener("input", copyText);
    try {
      q("[data-lijstje-datum]").textContent = new Intl.DateTimeFormat("nl-NL", { day: "numeric", month: "long", year: "numeric" }).format(new Date());
    } catch (e) {
      q("[data-lijstje-datum]").textContent = new Date().toLocaleDateString();
    }

    q("[data-lijstje-afdrukken]").addEventListener("click", function () {
      var all = state.list.map(load);
      Promise.all(all).then(function () { window.print(); });
    });
    q("[data-lijstje-kopieer]").addEventListener("click", function () {
      var link = shareUrl();
      var done = function () { status.textContent = "De link is gekopieerd. Plak hem in een e-mail of bericht."; };
      var manual = function () { status.textContent = "Kopieer deze link: " + link; };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(link).then(done, manual);
      else manual();
    });
    q("[data-lijstje-wis]").addEventListener("click", function () {
      save([]);
      status.textContent = "Het lijstje is leeg.";
    });
  }

  // ------------------------------------------------------------------ start

  function init() {
    migrate();
    state.list = read();
    verrijk(document);
    // The booklet's print button (and any other [data-print]) works only with JavaScript.
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
    var page = document.querySelector("[data-lijstje-pagina]");
    var nav = document.querySelector("a[data-lijstje-link]");
    if (page && nav) lijstjePage(page, nav);
    changed();
    // Another tab changed the list: follow it.
    window.addEventListener("storage", function (e) {
      if (e.key === KEY || e.key === null) { state.list = read(); changed(); }
    });
  }

  window.MijnLijstje = { verrijk: verrijk };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
