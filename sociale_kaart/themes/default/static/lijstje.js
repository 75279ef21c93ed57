/* Mijn lijstje: a welzijnscoach collects activities, sees them on one page, prints or shares them.
   State lives in localStorage per gemeente and in the URL of the lijstje page (?a=slug,slug), so a
   shared link reopens the same list. No server. Progressive enhancement: without JavaScript the
   buttons do not appear. */
(function () {
  "use strict";
  var root = document.querySelector("a[data-lijstje-link]");
  if (!root) return;
  var lijstjeUrl = new URL(root.getAttribute("href"), location.href);
  var key = "sociale-kaart-lijstje:" + lijstjeUrl.pathname;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]").filter(function (s) { return /^[a-z0-9-]+$/.test(s); }); }
    catch (e) { return []; }
  }
  function save(list) {
    try { localStorage.setItem(key, JSON.stringify(list)); } catch (e) { /* private mode: URL still works */ }
    updateCount(list);
  }
  function updateCount(list) {
    document.querySelectorAll("[data-lijstje-teller]").forEach(function (el) {
      el.textContent = list.length ? String(list.length) : "";
    });
  }
  function toggle(slug) {
    var list = load();
    var i = list.indexOf(slug);
    if (i >= 0) list.splice(i, 1); else list.push(slug);
    save(list);
    return i < 0;
  }
  function label(on) { return on ? "Op mijn lijstje \u2713" : "Op mijn lijstje"; }

  // Buttons on activity pages and cards (not on the lijstje page itself).
  var page = document.querySelector("[data-lijstje-pagina]");
  if (!page) {
    document.querySelectorAll("article[data-activiteit]").forEach(function (card) {
      var slug = card.getAttribute("data-activiteit");
      var title = card.querySelector("h1, h2, h3");
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "knop knop-rustig lijstje-knop niet-printen";
      var on = load().indexOf(slug) >= 0;
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      btn.textContent = label(on);
      if (title) btn.setAttribute("aria-label", "Zet " + title.textContent.trim() + " op mijn lijstje");
      btn.addEventListener("click", function () {
        var now = toggle(slug);
        btn.setAttribute("aria-pressed", now ? "true" : "false");
        btn.textContent = label(now);
      });
      card.appendChild(btn);
    });
  }
  updateCount(load());

  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  if (!page) return;
  // The lijstje page: the URL wins (a shared link), else what this browser saved.
  var params = new URLSearchParams(location.search);
  var fromUrl = (params.get("a") || "").split(",").filter(function (s) { return /^[a-z0-9-]+$/.test(s); });
  var list = fromUrl.length ? fromUrl : load();
  if (fromUrl.length) save(fromUrl);
  function render() {
    var shown = 0;
    page.querySelectorAll("li[data-activiteit]").forEach(function (li) {
      var on = list.indexOf(li.getAttribute("data-activiteit")) >= 0;
      li.hidden = !on;
      if (on) shown++;
    });
    page.querySelector("[data-lijstje-leeg]").hidden = shown > 0;
    page.querySelector("[data-lijstje-acties]").hidden = shown === 0;
    var url = new URL(location.href);
    if (list.length) url.searchParams.set("a", list.join(",")); else url.searchParams.delete("a");
    history.replaceState(null, "", url);
  }
  render();
  var status = page.querySelector("[data-lijstje-status]");
  page.querySelector("[data-lijstje-kopieer]").addEventListener("click", function () {
    var link = location.href;
    var done = function () { status.textContent = "De link is gekopieerd. Plak hem in een e-mail of bericht."; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link).then(done, function () { status.textContent = "Kopieer deze link: " + link; });
    } else { status.textContent = "Kopieer deze link: " + link; }
  });
  page.querySelector("[data-lijstje-wis]").addEventListener("click", function () {
    list = []; save(list); render(); status.textContent = "Het lijstje is leeg.";
  });
})();
