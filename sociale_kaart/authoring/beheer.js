/* Sociale kaart: what the web editor (Decap CMS) needs beyond its own widgets.
 * Written next to every config.yml by authoring/decap.py; loaded after decap-cms.js.
 *
 * - Widgets: "groep" (an optional group: its required fields count only when something in it
 *   is filled), "rijen" (a list whose rows may be written short in the file), "janee" (a
 *   required yes/no: Decap counts an unticked box as missing) and "datum" (a date typed as
 *   dd-mm-jjjj in every browser, stored as jjjj-mm-dd).
 * - Before a save: empty values, empty groups and empty rows are left out of the file, so a
 *   group left closed is not written and the model's defaults apply.
 * - Previews that look like the site's pages (its stylesheet, Dutch words, labels of terms,
 *   places and organisations instead of their short names).
 * - Decap rejects a save with invalid fields with a promise rejection without a reason; nobody
 *   handles it, so the page logged an uncaught error "undefined". That one is handled here.
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  var settingsElement = document.getElementById("sociale-kaart-beheer");
  var settings = settingsElement ? JSON.parse(settingsElement.textContent) : {};
  var DAGEN = settings.dagen || {};

  // ------------------------------------------------------------------ values

  function toJS(value) {
    return value && typeof value.toJS === "function" ? value.toJS() : value;
  }

  function isEmpty(value) {
    value = toJS(value);
    if (value === undefined || value === null) return true;
    if (typeof value === "string") return value.trim() === "";
    if (Array.isArray(value)) return value.every(isEmpty);
    if (typeof value === "object") return Object.keys(value).every(function (k) { return isEmpty(value[k]); });
    return false; // numbers and booleans are answers
  }

  // Drop empty strings, empty lists, empty groups and empty rows (Immutable values in, out).
  function prune(value) {
    if (value && typeof value.toJS === "function" && typeof value.filter === "function") {
      var pruned = value.map(prune).filter(function (v) { return !isEmpty(v); });
      return pruned;
    }
    return value;
  }

  window.addEventListener("unhandledrejection", function (event) {
    // Decap's persistEntry rejects with no reason when a field is invalid; the editor already
    // shows the field's message. Any other rejection is left alone.
    if (event.reason === undefined) event.preventDefault();
  });

  if (!CMS) return;

  CMS.registerEventListener({
    name: "preSave",
    handler: function (payload) {
      return prune(payload.entry.get("data"));
    }
  });

  // ------------------------------------------------------------------ widgets

  function clearErrors(widget) {
    if (!widget) return;
    if (widget.props && typeof widget.props.onValidate === "function") widget.props.onValidate([]);
    var inner = widget.innerWrappedControl;
    if (inner && inner.childRefs) {
      Object.keys(inner.childRefs).forEach(function (name) { clearErrors(inner.childRefs[name]); });
    }
  }

  var object = CMS.getWidget("object");
  if (object) {
    var ObjectControl = object.control;
    class GroepControl extends ObjectControl {
      constructor(props) {
        super(props);
        var validateAll = this.validate;
        var self = this;
        this.validate = function () {
          if (isEmpty(self.props.value)) {
            Object.keys(self.childRefs).forEach(function (name) { clearErrors(self.childRefs[name]); });
            return;
          }
          validateAll();
        };
      }
    }
    CMS.registerWidget("groep", GroepControl, object.preview);
  }

  // "rijen": a list whose rows may be written short in the file, as niet_op: [2026-12-29] for
  // [{van: 2026-12-29}] (the field "verkort" names the field a short row fills). Decap's list
  // cannot show or save such rows, so they become full rows when the form opens.
  function expand(props) {
    var key = props.field.get("verkort");
    var value = props.value;
    var isShort = function (row) { return row !== null && row !== undefined && typeof row !== "object"; };
    if (!key || !value || typeof value.some !== "function" || !value.some(isShort)) return value;
    return value.map(function (row) { return isShort(row) ? props.field.clear().set(key, row) : row; });
  }

  var listWidget = CMS.getWidget("list");
  if (listWidget) {
    var ListControl = listWidget.control;
    class RijenControl extends ListControl {
      componentDidMount() {
        if (super.componentDidMount) super.componentDidMount();
        var full = expand(this.props);
        if (full !== this.props.value) this.props.onChange(full);
      }
      render() {
        return expand(this.props) !== this.props.value ? null : super.render();
      }
    }
    CMS.registerWidget("rijen", RijenControl, listWidget.preview);
  }

  // A yes/no may be written as a word in a file (gratis: ja); Decap reads it as text.
  function asBool(value) {
    if (value === true || value === false) return value;
    var word = typeof value === "string" ? value.trim().toLowerCase() : null;
    if (word && (settings.ja || []).indexOf(word) >= 0) return true;
    if (word && (settings.nee || []).indexOf(word) >= 0) return false;
    return value;
  }

  var JaNeeControl = createClass({
    componentDidMount: function () {
      var value = asBool(this.props.value);
      if (value !== this.props.value) this.props.onChange(value);
    },
    getValidateValue: function () {
      var v = asBool(this.props.value);
      return v === true ? "ja" : v === false ? "nee" : "";
    },
    render: function () {
      var props = Object.assign({}, this.props, { value: asBool(this.props.value) });
      var name = props.forID;
      var choice = function (value, text) {
        var id = name + (value ? "-ja" : "-nee");
        return h("label", { htmlFor: id, style: { marginRight: "1.5em", display: "inline-flex", alignItems: "center", gap: "0.4em" } },
          h("input", {
            type: "radio", id: id, name: name, checked: props.value === value,
            onChange: function () { props.onChange(value); },
            onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle
          }), text);
      };
      return h("div", { id: name, role: "radiogroup", "aria-label": props.field.get("label"),
                        className: props.classNameWrapper },
        choice(true, "Ja"), choice(false, "Nee"));
    }
  });
  CMS.registerWidget("janee", JaNeeControl, function (props) {
    var v = asBool(props.value);
    return h("span", {}, v === true ? "ja" : v === false ? "nee" : "");
  });

  var ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
  var DUTCH = /^\s*(\d{1,2})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{4})\s*$/;

  function realDate(y, m, d) {
    var date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function isoToDutch(value) {
    var m = ISO.exec(value || "");
    return m ? m[3] + "-" + m[2] + "-" + m[1] : (value || "");
  }

  function dutchToIso(text) {
    var m = DUTCH.exec(text || "");
    if (!m) return null;
    var d = +m[1], mo = +m[2], y = +m[3];
    return realDate(y, mo, d) ? y + "-" + pad(mo) + "-" + pad(d) : null;
  }

  var DatumControl = createClass({
    getInitialState: function () { return { text: isoToDutch(this.props.value) }; },
    componentDidUpdate: function (previous) {
      var value = this.props.value;
      if (value !== previous.value && value !== dutchToIso(this.state.text) && value !== this.state.text) {
        this.setState({ text: isoToDutch(value) });
      }
    },
    isValid: function () {
      var v = this.props.value;
      if (!v || ISO.test(v) && dutchToIso(isoToDutch(v))) return true;
      return { error: { type: "CUSTOM", message: "'" + v + "' is geen datum: schrijf dag-maand-jaar, zoals 15-03-2026" } };
    },
    onChange: function (event) {
      var text = event.target.value;
      this.setState({ text: text });
      if (text.trim() === "") this.props.onChange("");
      else this.props.onChange(dutchToIso(text) || text.trim());
    },
    render: function () {
      return h("input", {
        type: "text", id: this.props.forID, className: this.props.classNameWrapper,
        value: this.state.text, placeholder: "dd-mm-jjjj", inputMode: "numeric",
        autoComplete: "off", onChange: this.onChange,
        onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle
      });
    }
  });
  CMS.registerWidget("datum", DatumControl, function (props) {
    return h("span", {}, isoToDutch(props.value));
  });

  // ------------------------------------------------------------------ previews

  if (settings.css) CMS.registerPreviewStyle(new URL(settings.css, document.baseURI).href);

  // Names of what an entry refers to, read from the repository as the editor sees it (a
  // collection this editor does not have fails: the short name is shown).
  var loaded = {};

  function names(props, collection, file) {
    var key = collection + "/" + (file || "");
    if (!loaded[key]) {
      loaded[key] = { map: null, promise: null };
      var request = file ? props.getCollection(collection, file) : props.getCollection(collection);
      loaded[key].promise = Promise.resolve(request).then(function (result) {
        var map = {};
        if (file) {
          var terms = toJS(result && result.getIn ? result.getIn(["data", "termen"]) : null) || [];
          terms.forEach(function (t) { if (t && t.slug) map[t.slug] = t.label || t.slug; });
        } else {
          Array.from(result || []).forEach(function (e) {
            e = toJS(e) || {};
            var data = e.data || {};
            map[e.slug] = data.naam || data.titel || e.slug;
          });
        }
        loaded[key].map = map;
        return map;
      }, function () { loaded[key].map = {}; return {}; });
    }
    return loaded[key];
  }

  var LabelsMixin = {
    getInitialState: function () { return { tick: 0 }; },
    componentDidMount: function () { this.mounted = true; },
    componentWillUnmount: function () { this.mounted = false; },
    label: function (collection, file, slug) {
      if (!slug) return "";
      var entry = names(this.props, collection, file);
      var self = this;
      if (!entry.map) {
        entry.promise.then(function () { if (self.mounted) self.setState({ tick: self.state.tick + 1 }); });
        return slug;
      }
      return entry.map[slug] || slug;
    },
    labels: function (collection, file, slugs) {
      var self = this;
      return (slugs || []).map(function (s) { return self.label(collection, file, s); });
    }
  };

  function section(title, children) {
    return h("section", {}, h("h2", {}, title), children);
  }

  function list(items, className) {
    items = (items || []).filter(function (x) { return x; });
    return items.length ? h("ul", { className: className }, items.map(function (x, i) { return h("li", { key: i }, x); })) : null;
  }

  function adres(a) {
    if (!a || isEmpty(a)) return null;
    return h("p", { className: "adres" }, (a.straat || "") + " " + (a.huisnummer || ""), h("br"),
      (a.postcode ? a.postcode + " " : "") + (a.plaats || ""));
  }

  function contact(c) {
    if (!c || isEmpty(c)) return null;
    return list([c.naam,
                 c.telefoon && "Telefoon: " + c.telefoon,
                 c.email && "E-mail: " + c.email,
                 c.website && "Website: " + c.website], "contact");
  }

  function euro(amount) {
    var n = Number(String(amount).replace(",", "."));
    return isNaN(n) ? String(amount) : "€ " + n.toFixed(2).replace(".", ",");
  }

  function kosten(k) {
    if (!k || isEmpty(k)) return "Vraag naar de kosten";
    if (asBool(k.gratis) === true) return h("strong", { className: "badge badge-gratis" }, "Gratis");
    if (k.bedrag !== undefined && k.bedrag !== null && k.bedrag !== "") return euro(k.bedrag) + (k.per ? " per " + k.per : "");
    return "Er zijn kosten";
  }

  function tijden(rules) {
    return (rules || []).filter(function (r) { return !isEmpty(r); }).map(function (r) {
      var parts = [];
      if (r.frequentie) {
        var every = r.interval > 1 ? (r.interval === 2 ? "Om de " : "Eens in de " + r.interval + " ") : "Elke ";
        var unit = r.frequentie === "wekelijks" ? (r.interval > 2 ? "weken" : "week") : (r.interval > 2 ? "maanden" : "maand");
        parts.push(every + unit + ": " + (r.dagen || []).map(function (d) { return DAGEN[d] || d; }).join(", "));
      } else if (r.datums && r.datums.length) {
        parts.push(r.datums.map(isoToDutch).join(", "));
      }
      if (r.van) parts.push(r.van + (r.tot ? "–" + r.tot : "") + " uur");
      if (r.geldig_vanaf) parts.push("vanaf " + isoToDutch(r.geldig_vanaf));
      if (r.geldig_tot) parts.push("tot en met " + isoToDutch(r.geldig_tot));
      var text = parts.join(", ");
      return r.toelichting ? text + ". " + r.toelichting : text;
    });
  }

  function page(children) {
    return h("main", { id: "inhoud" }, h("div", { className: "wrap" }, children));
  }

  function body(props, name, title) {
    var data = toJS(props.entry.get("data")) || {};
    if (isEmpty(data[name])) return null;
    return h("section", { className: "beschrijving" }, title ? h("h2", {}, title) : null, props.widgetFor(name));
  }

  var ActiviteitPreview = createClass({
    mixins: [LabelsMixin],
    render: function () {
      var a = toJS(this.props.entry.get("data")) || {};
      var plek = a.plek ? this.label("ontmoetingsplekken", null, a.plek) : null;
      var organisator = a.organisator ? this.label("organisaties", null, a.organisator) : null;
      var waar = plek ? h("p", {}, plek) : !isEmpty(a.adres) ? adres(a.adres)
        : a.online ? h("p", {}, "Online: ", h("a", { href: a.online }, a.online))
        : h("p", {}, (a.kern ? "In " + a.kern + ". " : "") + "Neem contact op voor het adres.");
      var leeftijd = a.leeftijd && !isEmpty(a.leeftijd) ? h("p", {}, "Leeftijd: " +
        (a.leeftijd.van != null && a.leeftijd.tot != null ? a.leeftijd.van + " tot en met " + a.leeftijd.tot + " jaar"
          : a.leeftijd.van != null ? "vanaf " + a.leeftijd.van + " jaar" : "tot en met " + a.leeftijd.tot + " jaar")) : null;
      var aanmelden = a.aanmelden && !isEmpty(a.aanmelden)
        ? [h("p", { key: 1 }, asBool(a.aanmelden.nodig) === true ? "U moet zich vooraf aanmelden." : "U hoeft zich niet aan te melden. Kom gewoon langs."),
           a.aanmelden.hoe ? h("p", { key: 2 }, a.aanmelden.hoe) : null, h("div", { key: 3 }, contact(a.aanmelden))]
        : h("p", {}, "Neem contact op om te vragen of u zich moet aanmelden.");
      var mee = a.begeleiding || {};
      var themas = this.labels("taxonomie", "themas", a.themas);
      return page(h("article", { className: "record" },
        h("h1", {}, a.titel || "Nieuwe activiteit"),
        a.status === "gestopt" ? h("p", { className: "melding" }, "Deze activiteit is gestopt.")
          : a.status === "gepauzeerd" ? h("p", { className: "melding" }, "Deze activiteit is tijdelijk gestopt.") : null,
        a.samenvatting ? h("p", { className: "lead" }, a.samenvatting) : null,
        asBool(a.welzijn_op_recept) === true ? h("p", { className: "tag tag-wor" }, "Geschikt voor Welzijn op Recept") : null,
        h("div", { className: "record-grid" },
          section("Wanneer", isEmpty(a.wanneer) ? h("p", {}, h("strong", {}, "Tijden: neem contact op.")) : list(tijden(a.wanneer), "tijden")),
          section("Waar", waar),
          section("Kosten", [h("p", { key: 1 }, kosten(a.kosten)), a.kosten && a.kosten.toelichting ? h("p", { key: 2 }, a.kosten.toelichting) : null]),
          section("Voor wie", [isEmpty(a.doelgroepen) ? h("p", { key: 1 }, "Voor iedereen.") : h("div", { key: 1 }, list(this.labels("taxonomie", "doelgroepen", a.doelgroepen))), h("div", { key: 2 }, leeftijd)]),
          section("Aanmelden", aanmelden),
          section("Kan er iemand mee?", asBool(mee.maatje) === true || asBool(mee.eerste_keer_mee) === true
            ? list([asBool(mee.eerste_keer_mee) === true && "Een coach kan de eerste keer met u meegaan.", asBool(mee.maatje) === true && "Een maatje (vrijwilliger) kan met u meegaan."])
            : h("p", {}, "Dat staat er niet bij.")),
          section("Toegankelijkheid", [isEmpty(a.toegankelijkheid) ? h("p", { key: 1 }, "Niet bekend.") : h("div", { key: 1 }, list(this.labels("taxonomie", "toegankelijkheid", a.toegankelijkheid))),
                                       a.toegankelijkheid_toelichting ? h("p", { key: 2 }, a.toegankelijkheid_toelichting) : null]),
          section("Contact", [h("div", { key: 1 }, contact(a.contact)), organisator ? h("p", { key: 2 }, "Organisator: " + organisator) : null])),
        body(this.props, "beschrijving", "Meer over deze activiteit"),
        themas.length ? h("p", { className: "themas" }, "Thema's: " + themas.join(", ")) : null));
    }
  });

  var PlekPreview = createClass({
    mixins: [LabelsMixin],
    render: function () {
      var p = toJS(this.props.entry.get("data")) || {};
      var beheerder = p.beheerder ? this.label("organisaties", null, p.beheerder) : null;
      return page(h("article", { className: "record" },
        h("h1", {}, p.naam || "Nieuwe plek"),
        p.soort ? h("p", { className: "tag" }, this.label("taxonomie", "plek-soorten", p.soort)) : null,
        p.samenvatting ? h("p", { className: "lead" }, p.samenvatting) : null,
        h("div", { className: "record-grid" },
          section("Adres", adres(p.adres) || h("p", {}, p.kern ? "In " + p.kern + "." : "Geen adres bekend.")),
          section("Open", isEmpty(p.openingstijden) ? h("p", {}, "Vraag de openingstijden na.") : list(tijden(p.openingstijden), "tijden")),
          section("Faciliteiten", list(p.faciliteiten) || h("p", {}, "Niet bekend.")),
          section("Toegankelijkheid", list(this.labels("taxonomie", "toegankelijkheid", p.toegankelijkheid)) || h("p", {}, "Niet bekend.")),
          section("Contact", [h("div", { key: 1 }, contact(p.contact)), beheerder ? h("p", { key: 2 }, "Beheerder: " + beheerder) : null])),
        body(this.props, "beschrijving", "Meer over deze plek")));
    }
  });

  var OrganisatiePreview = createClass({
    mixins: [LabelsMixin],
    render: function () {
      var o = toJS(this.props.entry.get("data")) || {};
      return page(h("article", { className: "record" },
        h("h1", {}, o.naam || "Nieuwe organisatie"),
        o.soort ? h("p", { className: "tag" }, this.label("taxonomie", "organisatie-soorten", o.soort)) : null,
        h("div", { className: "record-grid" },
          section("Contact", contact(o) || h("p", {}, "Er zijn geen contactgegevens bekend.")),
          o.adres && !isEmpty(o.adres) ? section("Adres", adres(o.adres)) : null),
        body(this.props, "beschrijving", "Over deze organisatie")));
    }
  });

  var PraktijkPreview = createClass({
    mixins: [LabelsMixin],
    render: function () {
      var p = toJS(this.props.entry.get("data")) || {};
      var where = this.labels("gemeenten", null, p.gemeenten).concat(p.regios || []);
      return page(h("article", { className: "record" },
        h("h1", {}, p.titel || "Nieuwe praktijk"),
        p.lede ? h("p", { className: "lead" }, p.lede) : null,
        where.length ? h("p", {}, "Waar: " + where.join(", ")) : null,
        p.status ? h("p", { className: "tag" }, (settings.praktijkStatus || {})[p.status] || p.status) : null,
        isEmpty(p.wat_werkt) ? null : section("Wat werkt?", list(p.wat_werkt)),
        body(this.props, "body")));
    }
  });

  var GemeentePreview = createClass({
    render: function () {
      var g = toJS(this.props.entry.get("data")) || {};
      var loket = g.loket || {};
      return page(h("article", { className: "record" },
        h("h1", {}, "Sociale kaart " + (g.naam || "")),
        body(this.props, "intro"),
        isEmpty(loket) ? null : section(loket.naam || "Loket", [h("div", { key: 1 }, contact(loket)), h("div", { key: 2 }, adres(loket.adres)),
          h("div", { key: 3 }, list(tijden(loket.openingstijden), "tijden"))])));
    }
  });

  CMS.registerPreviewTemplate("activiteiten", ActiviteitPreview);
  CMS.registerPreviewTemplate("ontmoetingsplekken", PlekPreview);
  CMS.registerPreviewTemplate("organisaties", OrganisatiePreview);
  CMS.registerPreviewTemplate("praktijken", PraktijkPreview);
  CMS.registerPreviewTemplate("gemeenten", GemeentePreview);
  CMS.registerPreviewTemplate("gemeente", GemeentePreview);
})();
