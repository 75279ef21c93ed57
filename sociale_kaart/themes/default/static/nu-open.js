/*
 * "Nu open" for places: progressive enhancement of the server-rendered opening-hours table.
 *
 * Markup (the table works without this script):
 *   <section data-openingstijden>
 *     <script type="application/json">{"timezone": "Europe/Amsterdam", "rules": [...]}</script>
 *     <p data-nu-open></p>
 *     <table>...</table>
 *   </section>
 *
 * The JSON comes from generator/occurrences.py opening_json(); the logic mirrors
 * open_status() there (the tests run both and compare). Times are wall-clock times in
 * Europe/Amsterdam, whatever the visitor's own time zone is. When the state cannot be known
 * (a day without times), the element stays empty. No dependencies.
 */
(function () {
  "use strict";

  var WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // Wall-clock parts of `moment` in `timeZone`: {iso: "2026-11-22", weekday: 6, minutes: 600}.
  function localParts(moment, timeZone) {
    var fmt = new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", weekday: "short"
    });
    var p = {};
    fmt.formatToParts(moment).forEach(function (part) { p[part.type] = part.value; });
    var year = +p.year, month = +p.month, day = +p.day;
    return {
      year: year, month: month, day: day,
      iso: year + "-" + pad(month) + "-" + pad(day),
      weekday: WEEKDAYS[p.weekday],
      minutes: (+p.hour % 24) * 60 + (+p.minute)
    };
  }

  function toMinutes(hhmm) {
    var parts = hhmm.split(":");
    return (+parts[0]) * 60 + (+parts[1]);
  }

  function dayNumber(iso) { // days since 1970-01-01 for a date "YYYY-MM-DD"
    var p = iso.split("-");
    return Math.round(Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000);
  }

  function daysInMonth(year, month) {
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
  }

  function firesOn(rule, d) {
    if (rule.from && d.iso < rule.from) return false;
    if (rule.until && d.iso > rule.until) return false;
    for (var i = 0; i < rule["except"].length; i++) {
      if (rule["except"][i][0] <= d.iso && d.iso <= rule["except"][i][1]) return false;
    }
    if (rule.freq === "dates") return rule.dates.indexOf(d.iso) !== -1;
    var dayMatch = rule.days.some(function (x) {
      if (x.weekday !== d.weekday) return false;
      if (x.pos === null || x.pos === undefined) return true;
      if (x.pos > 0) return Math.ceil(d.day / 7) === x.pos;
      return Math.ceil((daysInMonth(d.year, d.month) - d.day + 1) / 7) === -x.pos;
    });
    if (!dayMatch) return false;
    if (rule.interval > 1 && rule.from) {
      if (rule.freq === "weekly") { // weeks start on Monday (WKST=MO), counted from `from`
        var today = dayNumber(d.iso), start = dayNumber(rule.from);
        var mondayToday = today - d.weekday;
        var mondayStart = start - ((new Date(start * 86400000).getUTCDay() + 6) % 7);
        var weeks = Math.round((mondayToday - mondayStart) / 7);
        if (weeks % rule.interval !== 0) return false;
      } else {
        var f = rule.from.split("-");
        var months = (d.year * 12 + d.month) - ((+f[0]) * 12 + (+f[1]));
        if (months % rule.interval !== 0) return false;
      }
    }
    return true;
  }

  // {state: "open"|"gesloten"|"onbekend", until: minutes, opensLater: minutes}
  function openStatus(data, moment) {
    var d = localParts(moment, data.timezone || "Europe/Amsterdam");
    var now = d.minutes, unknown = false, until = null, later = null, spans = [];
    data.rules.forEach(function (rule) {
      if (!firesOn(rule, d)) return;
      if (!rule.opens) { unknown = true; return; }
      var opens = toMinutes(rule.opens);
      var closes = rule.closes ? toMinutes(rule.closes) : null;
      if (closes !== null) spans.push([opens, closes]);
      if (now < opens) {
        later = later === null ? opens : Math.min(later, opens);
      } else if (closes === null) {
        unknown = true;
      } else if (now < closes) {
        until = until === null ? closes : Math.max(until, closes);
      }
    });
    if (until !== null) {
      var extended = true; // 09.00–12.00 and 12.00–17.00 are open until 17.00
      while (extended) {
        extended = false;
        for (var i = 0; i < spans.length; i++) {
          if (spans[i][0] <= until && until < spans[i][1]) { until = spans[i][1]; extended = true; }
        }
      }
      return { state: "open", until: until };
    }
    if (unknown) return { state: "onbekend" };
    return { state: "gesloten", opensLater: later };
  }

  function clock(minutes) { // 570 -> "9.30", as the server-side text does
    return Math.floor(minutes / 60) + "." + pad(minutes % 60);
  }

  function statusText(status) {
    if (status.state === "open") return "Nu open (tot " + clock(status.until) + " uur)";
    if (status.state === "gesloten") {
      if (status.opensLater !== null && status.opensLater !== undefined) {
        return "Nu gesloten (vandaag open vanaf " + clock(status.opensLater) + " uur)";
      }
      return "Nu gesloten";
    }
    return "";
  }

  function update(container, data) {
    var target = container.querySelector("[data-nu-open]");
    if (!target) return;
    var status = openStatus(data, new Date());
    var text = statusText(status);
    target.textContent = text;
    target.hidden = text === "";
    target.setAttribute("data-state", status.state);
  }

  function init() {
    var containers = document.querySelectorAll("[data-openingstijden]");
    Array.prototype.forEach.call(containers, function (container) {
      var script = container.querySelector('script[type="application/json"]');
      if (!script) return;
      var data;
      try { data = JSON.parse(script.textContent); } catch (e) { return; }
      if (!data || !data.rules || !data.rules.length) return;
      update(container, data);
      window.setInterval(function () { update(container, data); }, 60000);
    });
  }

  // For tests and reuse: window.NuOpen.openStatus(data, date) and .statusText(status).
  window.NuOpen = { openStatus: openStatus, statusText: statusText, localParts: localParts };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
