// Kiosk board: fetch the board JSON every `reload` seconds, rotate through its items every
// `rotate` seconds, and keep the last good data (in localStorage) on screen, with a
// visible "data as of" time, while the server or the network is down. Recovers by itself.
// Settings come from data- attributes on <body>; no inline script, no external assets.
(function () {
  "use strict";
  var body = document.body;
  var cfg = {
    api: body.getAttribute("data-api"),
    rotate: Math.max(1, Number(body.getAttribute("data-rotate")) || 12) * 1000,
    reload: Math.max(2, Number(body.getAttribute("data-reload")) || 60) * 1000,
    lang: body.getAttribute("data-lang") === "en" ? "en-GB" : "zh-CN",
    layout: body.getAttribute("data-layout"),
    qr: body.getAttribute("data-qr"),
    track: body.getAttribute("data-track"),
    words: JSON.parse(body.getAttribute("data-strings") || "{}")
  };
  var stage = document.querySelector("[data-stage]");
  var statusLine = document.querySelector("[data-status]");
  var progress = document.querySelector("[data-progress]");
  var storeKey = "noticeboard-board:" + cfg.api;
  var state = { data: null, etag: null, fetchedAt: null, offline: false, slides: [], index: 0 };

  function say(key, values) {
    var text = cfg.words[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace("%(" + name + ")s", values[name]);
    });
    return text;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function formatDate(iso) {
    if (!iso) return "";
    try {
      return new Intl.DateTimeFormat(cfg.lang, { year: "numeric", month: "long", day: "numeric" })
        .format(new Date(iso));
    } catch (e) { return iso.slice(0, 10); }
  }

  function formatMoment(ms) {
    var when = new Date(ms);
    var sameDay = when.toDateString() === new Date().toDateString();
    var options = sameDay ? { hour: "2-digit", minute: "2-digit" }
      : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
    try { return new Intl.DateTimeFormat(cfg.lang, options).format(when); }
    catch (e) { return when.toLocaleString(); }
  }

  function applyLayout() {
    var portrait = cfg.layout === "portrait" ||
      (cfg.layout !== "landscape" && window.innerHeight > window.innerWidth);
    body.classList.toggle("portrait", portrait);
  }

  function qrFigure(src, caption) {
    var figure = el("figure");
    var img = el("img");
    img.src = src;
    img.alt = "";
    img.onerror = function () { figure.style.visibility = "hidden"; };
    figure.appendChild(img);
    figure.appendChild(el("figcaption", null, caption));
    return figure;
  }

  function qrFor(path) { return cfg.qr + "?path=" + encodeURIComponent(path); }

  // One side of the redline: the old text drops insertions, the new drops deletions.
  function side(diff, which) {
    var box = el("section", "s-side s-" + which);
    box.appendChild(el("h3", null, say(which)));
    var text = el("p", "s-text");
    var hidden = which === "before" ? 1 : -1;
    var shown = 0;
    diff.forEach(function (op) {
      if (op[0] === hidden) return;
      var tag = op[0] === 1 ? "ins" : op[0] === -1 ? "del" : "span";
      text.appendChild(el(tag, null, op[1]));
      shown += op[1].length;
    });
    if (!shown) {
      text.appendChild(el("span", "s-none", say(which === "before" ? "new_article" : "deleted_article")));
    }
    box.appendChild(text);
    return box;
  }

  function itemSlide(item) {
    var slide = el("article", "slide slide-item");
    var kicker = el("p", "s-kicker");
    kicker.appendChild(el("span", "s-outcome " + item.outcome, say(item.outcome)));
    kicker.appendChild(el("span", "s-law", item.law));
    if (item.article) kicker.appendChild(el("span", "s-article", item.article));
    slide.appendChild(kicker);
    if (item.summary) slide.appendChild(el("h2", "s-summary", item.summary));
    if (item.diff && item.diff.length) {
      var pair = el("div", "s-redline");
      pair.appendChild(side(item.diff, "before"));
      pair.appendChild(side(item.diff, "after"));
      slide.appendChild(pair);
    }
    var who = el("p", "s-who");
    who.appendChild(el("strong", null, say("suggested_by", { who: item.contributor })));
    if (item.decided_at) who.appendChild(document.createTextNode(" · " + say("decided_on", { date: formatDate(item.decided_at) })));
    slide.appendChild(who);
    var qr = el("aside", "s-qr");
    qr.appendChild(qrFigure(qrFor(item.url), say("scan_change")));
    qr.appendChild(qrFigure(cfg.track, say("scan_track")));
    slide.appendChild(qr);
    slide.setAttribute("data-item", item.url + "|" + item.summary);
    return slide;
  }

  // The welcome slide: what is open for comment now, and how to take part.
  function infoSlide(data, note) {
    var slide = el("article", "slide slide-info");
    var head = el("header", "s-title");
    head.appendChild(el("h2", null, say("have_your_say")));
    if (note) head.appendChild(el("p", "s-note", note));
    slide.appendChild(head);
    var bodyBox = el("div", "s-body");
    var open = el("section");
    open.appendChild(el("h3", null, say("open_now")));
    var consultations = data.open_consultations || [];
    if (consultations.length) {
      var list = el("ul", "s-open");
      consultations.slice(0, 5).forEach(function (c) {
        var li = el("li", null, c.law);
        li.appendChild(el("span", "s-until", say("until", { date: formatDate(c.until) })));
        list.appendChild(li);
      });
      open.appendChild(list);
    } else {
      open.appendChild(el("p", null, say("none_open")));
    }
    bodyBox.appendChild(open);
    var how = el("section");
    how.appendChild(el("h3", null, say("take_part")));
    var steps = el("ol", "s-steps");
    ["step_send", "step_receipt", "step_board"].forEach(function (key) {
      steps.appendChild(el("li", null, say(key)));
    });
    how.appendChild(steps);
    bodyBox.appendChild(how);
    slide.appendChild(bodyBox);
    var qr = el("aside", "s-qr");
    qr.appendChild(qrFigure(cfg.track, say("scan_track")));
    slide.appendChild(qr);
    slide.setAttribute("data-item", "info");
    return slide;
  }

  function buildSlides(data) {
    var items = data.items || [];
    if (!items.length) return [function () { return infoSlide(data, say("nothing_yet")); }];
    var slides = items.map(function (item) { return function () { return itemSlide(item); }; });
    if ((data.open_consultations || []).length) {
      slides.push(function () { return infoSlide(data, null); });
    }
    return slides;
  }

  // Size the texts to the screen: short redlines grow, long ones shrink, nothing scrolls.
  function fit(slide) {
    var boxes = slide.querySelectorAll(".s-side");
    function overflowing() {
      if (slide.scrollHeight > slide.clientHeight + 1) return true;
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].scrollHeight > boxes[i].clientHeight + 1) return true;
      }
      return false;
    }
    var scale = 1.6;
    slide.style.setProperty("--fit", String(scale));
    while (overflowing() && scale > 0.45) {
      scale -= 0.05;
      slide.style.setProperty("--fit", scale.toFixed(2));
    }
  }

  function show() {
    if (!state.slides.length) return;
    state.index = state.index % state.slides.length;
    var slide = state.slides[state.index]();
    stage.textContent = "";
    stage.appendChild(slide);
    fit(slide);
    progress.textContent = state.slides.length > 1 ? (state.index + 1) + " / " + state.slides.length : "";
  }

  function currentKey() {
    var slide = stage.querySelector("[data-item]");
    return slide ? slide.getAttribute("data-item") : null;
  }

  function setData(data) {
    var key = currentKey();
    state.data = data;
    state.slides = buildSlides(data);
    var counters = data.counters || {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-counter]"), function (node) {
      var value = counters[node.getAttribute("data-counter")];
      node.textContent = typeof value === "number" ? value.toLocaleString(cfg.lang) : "–";
    });
    if (data.office && data.office.name) {
      document.querySelector("[data-office-name]").textContent = data.office.name;
    }
    // Stay on the item being shown if it is still there.
    var items = data.items || [];
    state.index = 0;
    for (var i = 0; i < items.length; i++) {
      if (items[i].url + "|" + items[i].summary === key) { state.index = i; break; }
    }
    show();
    // Fetch every QR code now, so the screen still has them if the network drops.
    items.forEach(function (item) { new Image().src = qrFor(item.url); });
  }

  function renderStatus() {
    var time = state.fetchedAt ? formatMoment(state.fetchedAt) : null;
    statusLine.classList.toggle("offline", state.offline);
    if (state.offline) {
      statusLine.textContent = time ? say("offline", { time: time }) : say("waiting");
    } else {
      statusLine.textContent = time ? say("as_of", { time: time }) : "";
    }
    statusLine.setAttribute("data-state", state.offline ? "offline" : "online");
  }

  function save() {
    try {
      localStorage.setItem(storeKey, JSON.stringify({
        data: state.data, etag: state.etag, fetchedAt: state.fetchedAt
      }));
    } catch (e) { /* storage full or disabled: the screen still works while it stays open */ }
  }

  function restore() {
    try {
      var saved = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (saved && saved.data) {
        state.etag = saved.etag;
        state.fetchedAt = saved.fetchedAt;
        setData(saved.data);
      }
    } catch (e) { /* unreadable: start empty */ }
  }

  function fetchData() {
    var headers = { Accept: "application/json" };
    if (state.etag && state.data) headers["If-None-Match"] = state.etag;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 15000) : null;
    fetch(cfg.api, {
      cache: "no-store", credentials: "omit", headers: headers,
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status === 304) return null;
      if (!response.ok) throw new Error("HTTP " + response.status);
      var etag = response.headers.get("ETag");
      return response.json().then(function (data) {
        state.etag = etag;
        setData(data);
      });
    }).then(function () {
      state.offline = false;
      state.fetchedAt = Date.now();
      save();
    }, function () {
      state.offline = true;
    }).then(function () {
      if (timer) clearTimeout(timer);
      renderStatus();
      setTimeout(fetchData, cfg.reload);
    });
  }

  applyLayout();
  window.addEventListener("resize", function () { applyLayout(); show(); });
  restore();
  renderStatus();
  fetchData();
  setInterval(function () {
    if (state.slides.length > 1) {
      state.index += 1;
      show();
    }
  }, cfg.rotate);
  // Keep the "data as of" time current as the day turns.
  setInterval(renderStatus, 60000);
})();
