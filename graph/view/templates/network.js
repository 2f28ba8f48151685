/* tsunagari-graph network page. All data is untrusted casebook text: it is only ever put into
   the page with textContent (or as vis-network plain-text titles), never as markup. */
(function () {
  "use strict";
  var started = performance.now();
  var DATA = JSON.parse(document.getElementById("tsunagari-data").textContent);

  var I18N = {
    ja: {
      title: "つながりネットワーク", search: "団体名・連携先・地域を検索（全角・半角どちらでも）",
      reset: "リセット", lang: "English", legendNodes: "ノードの種類", legendEdges: "関係",
      sharedOnly: "共有された連携先のみ", filters: "絞り込み", prefecture: "都道府県", target: "対象",
      activity: "取組の種類", all: "（すべて）", primaryOnly: "★のみ", primaryAndSecondary: "★＋☆",
      sharedTitle: "共有された連携先（2団体以上）", sharedHint: "クリックでその連携先と団体だけを表示",
      placesTitle: "地域でつながる団体（同じ市区町村で活動・所在・連携）",
      noShared: "このデータでは、2団体以上に共有された連携先はありません",
      noPlaces: "同じ市区町村でつながる団体はありません",
      nOrgs: "{n}団体", role: "役割", focus: "近傍だけ表示", focusBanner: "フォーカス中：{name} とその隣接ノード",
      exitFocus: "解除", detailsEmpty: "ノードをクリックすると詳細を表示します", noResults: "見つかりません",
      stats: "{nodes}ノード・{edges}エッジ・共有された連携先 {shared}",
      approx: "推定値（{n} ノード中 {k} ノードを起点に計算）",
      sharedKind: "共有された連携先（2団体以上）",
      aggregated: "大規模なグラフのため集約表示です：全 {full_nodes} ノード・{full_edges} エッジのうち {shown_nodes} ノード・{shown_edges} エッジを表示（{steps}）。完全なグラフは network.graphml と tsunagari.ttl にあります。",
      steps: { single_partners: "1団体だけの連携先と取組の種類を省略", municipalities: "市区町村を都道府県にまとめる",
        organisations: "つながりの多い団体に限定", partners: "共有の多い連携先に限定" },
      kinds: { organisation: "団体", partner: "連携先", municipality: "市区町村", prefecture: "都道府県",
        target: "対象", activity: "取組の種類" },
      relations: { partner_of: "連携（役割は線のツールチップ）", runs_in: "活動地域", based_in: "所在地（団体住所）",
        targets_primary: "対象 ★（主）", targets_secondary: "対象 ☆（副）", activity_primary: "取組 ★（主）",
        activity_secondary: "取組 ☆（副）", located_in: "所在（市区町村・都道府県）", part_of: "所属（部署→自治体）" },
      sections: { about: "概要", initiative: "取組", outcomes: "成果", region: "地域", targets: "対象",
        activities: "取組の種類", partners: "連携先（役割）", linked: "連携先・地域を共有する団体",
        located: "所在", organisations: "団体", partnered_by: "連携している団体（役割）",
        active_here: "この地域の団体", contains: "含まれるもの" },
      keys: { legal_form: "法人格", alias: "別名", website: "ウェブサイト", initiative: "取組名",
        region: "取組地域", source: "出典", category: "分類", lg_code: "地方公共団体コード",
        degree: "次数", betweenness: "媒介中心性", runs_in: "活動", based_in: "所在地", more: "ほか" }
    },
    en: {
      title: "Tsunagari network", search: "Search organisations, partners, places (full/half-width alike)",
      reset: "Reset", lang: "日本語", legendNodes: "Node types", legendEdges: "Relations",
      sharedOnly: "Shared collaborators only", filters: "Filters", prefecture: "Prefecture", target: "Target group",
      activity: "Activity type", all: "(all)", primaryOnly: "★ only", primaryAndSecondary: "★ + ☆",
      sharedTitle: "Shared collaborators (2+ organisations)", sharedHint: "Click to show it with its organisations",
      placesTitle: "Organisations meeting in a municipality (active, based or partnering there)",
      noShared: "No partner body is shared by two or more organisations in this data",
      noPlaces: "No municipality links two organisations",
      nOrgs: "{n} orgs", role: "Role", focus: "Show neighbourhood", focusBanner: "Focus: {name} and its neighbours",
      exitFocus: "Exit", detailsEmpty: "Click a node to see its details", noResults: "No match",
      stats: "{nodes} nodes · {edges} edges · {shared} shared collaborators",
      approx: "approximate, from {k} of {n} nodes as pivots",
      sharedKind: "Shared collaborator (2+ organisations)",
      aggregated: "Large graph, aggregated view: showing {shown_nodes} of {full_nodes} nodes and {shown_edges} of {full_edges} edges ({steps}). The full graph is in network.graphml and tsunagari.ttl.",
      steps: { single_partners: "partners of one organisation and activity types left out",
        municipalities: "municipalities folded into prefectures", organisations: "best-connected organisations only",
        partners: "most-shared partners only" },
      kinds: { organisation: "Organisation", partner: "Partner body", municipality: "Municipality",
        prefecture: "Prefecture", target: "Target group", activity: "Activity type" },
      relations: { partner_of: "Partner of (role in tooltip)", runs_in: "Runs in", based_in: "Based in (address)",
        targets_primary: "Targets ★ (primary)", targets_secondary: "Targets ☆ (secondary)",
        activity_primary: "Activity ★ (primary)", activity_secondary: "Activity ☆ (secondary)",
        located_in: "Located in", part_of: "Part of (department → government)" },
      sections: { about: "About", initiative: "Initiative", outcomes: "Outcomes", region: "Region", targets: "Targets",
        activities: "Activity types", partners: "Partners (roles)", linked: "Shares partners or places with",
        located: "Located in", organisations: "Organisations", partnered_by: "Partner of (roles)",
        active_here: "Organisations here", contains: "Contains" },
      keys: { legal_form: "Legal form", alias: "Alias", website: "Website", initiative: "Title",
        region: "Region", source: "Source", category: "Category", lg_code: "LG code",
        degree: "Degree", betweenness: "Betweenness", runs_in: "Runs in", based_in: "Based in", more: "more" }
    }
  };
  // Vocabulary nodes switch language; organisation and partner names are proper names.
  var TRANSLATED = { target: true, activity: true, prefecture: true, municipality: true };

  var state;
  function freshState() {
    var kinds = {};
    DATA.kinds.forEach(function (k) { kinds[k.kind] = k.kind !== "activity"; });
    return { lang: (state && state.lang) || "ja", kinds: kinds, sharedOnly: false, prefecture: "",
      target: "", targetMode: "primary", activity: "", activityMode: "primary", focus: null, selected: null };
  }
  state = freshState();

  function $(id) { return document.getElementById(id); }
  function t(key) { return I18N[state.lang][key]; }
  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]); });
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function norm(text) { return String(text).normalize("NFKC").toLowerCase(); }

  // ---- data -------------------------------------------------------------------------------
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var adjacency = {};
  var parents = {};
  DATA.nodes.forEach(function (n) { adjacency[n.id] = []; parents[n.id] = []; });
  DATA.edges.forEach(function (e) {
    adjacency[e.from].push(e.to);
    adjacency[e.to].push(e.from);
    if (e.relation === "located_in" || e.relation === "part_of") parents[e.from].push(e.to);
  });
  function displayName(n) {
    return state.lang === "en" && TRANSLATED[n.kind] && n.name_en ? n.name_en : n.name;
  }

  var RELATION = {};
  DATA.relations.forEach(function (r) { RELATION[r.relation] = r; });
  var VOCAB_EDGE = { target: true, activity: true };
  function edgeTitle(e) {
    // plain text: vis-network shows a string title with innerText
    var text = byId[e.from].name + " → " + byId[e.to].name + "\n" + t("relations")[e.relation];
    if (e.roles && e.roles.length) text += "\n" + t("role") + ": " + e.roles.join("・");
    return text;
  }
  DATA.edges.forEach(function (e) {
    var r = RELATION[e.relation];
    e.arrows = { to: { enabled: true, scaleFactor: 0.4 } };
    e.dashes = r.dashes;
    e.width = r.width;
    // vocabulary edges fan in from everywhere: faint until their node is selected
    e.color = { color: r.color, highlight: "#000000", opacity: VOCAB_EDGE[byId[e.to].kind] ? 0.35 : 0.85 };
    e.title = edgeTitle(e);
  });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = $("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);

  // ---- visibility ---------------------------------------------------------------------------
  function orgPasses(id) {
    var f = DATA.filters[id] || { prefectures: [], targets: {}, activities: {} };
    if (state.prefecture && f.prefectures.indexOf(state.prefecture) < 0) return false;
    if (state.target) {
      var mark = f.targets[state.target];
      if (!mark || (state.targetMode === "primary" && mark !== "★")) return false;
    }
    if (state.activity) {
      var am = f.activities[state.activity];
      if (!am || (state.activityMode === "primary" && am !== "★")) return false;
    }
    return true;
  }
  function computeVisible() {
    var visible = {};
    if (state.focus) {
      visible[state.focus] = true;
      adjacency[state.focus].forEach(function (id) { visible[id] = true; });
      return visible;
    }
    var filtered = state.prefecture || state.target || state.activity;
    var anchors = {};
    DATA.nodes.forEach(function (n) {
      if (n.kind === "organisation" && orgPasses(n.id)) anchors[n.id] = true;
    });
    function allowed(n) {
      if (!state.kinds[n.kind]) return false;
      return !(state.sharedOnly && n.kind === "partner" && !n.shared);
    }
    DATA.nodes.forEach(function (n) {
      if (n.kind === "organisation") {
        if (anchors[n.id] && allowed(n)) visible[n.id] = true;
      } else if (allowed(n)) {
        if (!filtered || adjacency[n.id].some(function (id) { return anchors[id]; })) visible[n.id] = true;
      }
    });
    if (filtered) {
      // keep the places the shown nodes belong to, so a filtered view still says where
      Object.keys(visible).forEach(function (id) {
        parents[id].forEach(function (p) { if (allowed(byId[p])) visible[p] = true; });
      });
    }
    return visible;
  }
  var shownNodes = null;
  function applyVisibility() {
    var visible = computeVisible();
    var nodeUpdates = [];
    DATA.nodes.forEach(function (n) {
      var hidden = !visible[n.id];
      if (!shownNodes || (!shownNodes[n.id]) !== hidden) nodeUpdates.push({ id: n.id, hidden: hidden });
    });
    var edgeUpdates = [];
    DATA.edges.forEach(function (e) {
      var hidden = !(visible[e.from] && visible[e.to]);
      var was = edges.get(e.id).hidden === true;
      if (was !== hidden) edgeUpdates.push({ id: e.id, hidden: hidden });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    shownNodes = visible;
    var focusBanner = $("focus-banner");
    focusBanner.hidden = !state.focus;
    if (state.focus) $("focus-text").textContent = fmt(t("focusBanner"), { name: displayName(byId[state.focus]) });
    updateStats();
  }
  function visibleNodeIds() {
    return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; });
  }

  // ---- legend and filters -------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function svg(w, h) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", w); s.setAttribute("height", h); s.setAttribute("aria-hidden", "true");
    return s;
  }
  function shapeSwatch(shape, color, stroke) {
    var s = svg(18, 18), c = 9, r = 7, node;
    function poly(points) {
      node = document.createElementNS(SVG, "polygon");
      node.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
    }
    if (shape === "dot") {
      node = document.createElementNS(SVG, "circle");
      node.setAttribute("cx", c); node.setAttribute("cy", c); node.setAttribute("r", r);
    } else if (shape === "square") {
      node = document.createElementNS(SVG, "rect");
      node.setAttribute("x", 2); node.setAttribute("y", 2); node.setAttribute("width", 14); node.setAttribute("height", 14);
    } else if (shape === "triangle") { poly([[c, 1], [17, 16], [1, 16]]); }
    else if (shape === "diamond") { poly([[c, 1], [17, c], [c, 17], [1, c]]); }
    else if (shape === "hexagon") {
      var pts = [];
      for (var i = 0; i < 6; i++) pts.push([c + r * Math.cos(Math.PI / 3 * i), c + r * Math.sin(Math.PI / 3 * i)]);
      poly(pts);
    } else {
      var star = [];
      for (var j = 0; j < 10; j++) {
        var rr = j % 2 ? r * 0.45 : r + 1, a = -Math.PI / 2 + Math.PI / 5 * j;
        star.push([c + rr * Math.cos(a), c + rr * Math.sin(a)]);
      }
      poly(star);
    }
    node.setAttribute("fill", color);
    node.setAttribute("stroke", stroke || color);
    s.appendChild(node);
    return s;
  }
  function lineSwatch(rel) {
    var s = svg(34, 12);
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", 1); line.setAttribute("y1", 6); line.setAttribute("x2", 33); line.setAttribute("y2", 6);
    line.setAttribute("stroke", rel.color);
    line.setAttribute("stroke-width", Math.max(rel.width, 1.5));
    if (rel.dashes) line.setAttribute("stroke-dasharray", rel.dashes.join(" "));
    s.appendChild(line);
    return s;
  }
  function countKinds() {
    var counts = {};
    DATA.nodes.forEach(function (n) { counts[n.kind] = (counts[n.kind] || 0) + 1; });
    return counts;
  }
  var kindCounts = countKinds();
  function buildLegend() {
    var ul = $("legend-kinds");
    ul.textContent = "";
    DATA.kinds.forEach(function (k) {
      var li = el("li"), label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = state.kinds[k.kind]; box.dataset.kind = k.kind;
      box.addEventListener("change", function () { state.kinds[k.kind] = box.checked; state.focus = null; applyVisibility(); });
      label.appendChild(box);
      label.appendChild(shapeSwatch(k.shape, k.color));
      label.appendChild(el("span", null, t("kinds")[k.kind]));
      li.appendChild(label);
      li.appendChild(el("span", "count", String(kindCounts[k.kind] || 0)));
      ul.appendChild(li);
    });
    var shared = el("li");
    shared.appendChild(shapeSwatch("dot", DATA.shared_color, "#333"));
    shared.appendChild(el("span", null, t("sharedKind")));
    shared.appendChild(el("span", "count", String(DATA.shared.length)));
    ul.appendChild(shared);
    var rel = $("legend-relations");
    rel.textContent = "";
    var present = {};
    DATA.edges.forEach(function (e) { present[e.relation] = true; });
    DATA.relations.forEach(function (r) {
      if (!present[r.relation]) return;
      var li = el("li");
      li.appendChild(lineSwatch(r));
      li.appendChild(el("span", null, t("relations")[r.relation]));
      rel.appendChild(li);
    });
  }
  function fillSelect(select, items, value) {
    select.textContent = "";
    var all = el("option", null, t("all"));
    all.value = "";
    select.appendChild(all);
    items.forEach(function (item) {
      var option = el("option", null, state.lang === "en" && item.en ? item.en : item.t);
      option.value = item.id;
      select.appendChild(option);
    });
    select.value = value;
  }
  function fillModes(select, value) {
    select.textContent = "";
    [["primary", t("primaryOnly")], ["both", t("primaryAndSecondary")]].forEach(function (m) {
      var option = el("option", null, m[1]);
      option.value = m[0];
      select.appendChild(option);
    });
    select.value = value;
  }
  function buildFilters() {
    fillSelect($("filter-prefecture"), DATA.vocab.prefecture, state.prefecture);
    fillSelect($("filter-target"), DATA.vocab.target, state.target);
    fillSelect($("filter-activity"), DATA.vocab.activity, state.activity);
    fillModes($("filter-target-mode"), state.targetMode);
    fillModes($("filter-activity-mode"), state.activityMode);
  }
  [["filter-prefecture", "prefecture"], ["filter-target", "target"], ["filter-target-mode", "targetMode"],
   ["filter-activity", "activity"], ["filter-activity-mode", "activityMode"]].forEach(function (pair) {
    $(pair[0]).addEventListener("change", function (event) {
      state[pair[1]] = event.target.value;
      state.focus = null;
      // choosing an activity type filter shows the activity nodes it is about
      if (pair[1] === "activity" && state.activity && !state.kinds.activity) {
        state.kinds.activity = true;
        buildLegend();
      }
      applyVisibility();
    });
  });
  $("shared-only").addEventListener("change", function (event) {
    state.sharedOnly = event.target.checked;
    applyVisibility();
  });

  // ---- shared collaborators panel ---------------------------------------------------------
  function buildShared() {
    fillRanking($("shared-list"), DATA.shared, "noShared");
    fillRanking($("places-list"), DATA.shared_places, "noPlaces");
  }
  function fillRanking(list, items, emptyKey) {
    list.textContent = "";
    if (!items.length) list.appendChild(el("li", "hint", t(emptyKey)));
    if (list.id === "shared-list") document.querySelector("[data-i18n=sharedHint]").hidden = !items.length;
    items.forEach(function (item) {
      var li = el("li"), button = el("button", "linklike", displayName(byId[item.id] || { name: item.t }));
      button.type = "button";
      button.dataset.node = item.id;
      button.addEventListener("click", function () { focusNode(item.id); });
      li.appendChild(button);
      li.appendChild(el("span", "count", fmt(t("nOrgs"), { n: item.n })));
      // a long list would push the ranking off screen; the details panel has the rest
      var names = item.orgs.slice(0, 8);
      li.appendChild(el("span", "orgs", names.join("、") + (item.n > names.length ? "…" : "")));
      list.appendChild(li);
    });
  }

  // ---- details panel ----------------------------------------------------------------------
  function safeHref(href) { return /^https?:\/\/[^\s"'<>]+$/i.test(href) ? href : null; }
  function renderDetails(id) {
    var panel = $("details");
    panel.textContent = "";
    if (!id || !byId[id]) {
      panel.appendChild(el("p", "hint", t("detailsEmpty")));
      return;
    }
    var n = byId[id];
    panel.appendChild(el("h2", "name", displayName(n)));
    panel.appendChild(el("div", "kind", t("kinds")[n.kind] + (n.shared ? " · " + fmt(t("nOrgs"), { n: countOrgs(id) }) : "")));
    var actions = el("div", "actions");
    var focus = el("button", null, t("focus"));
    focus.type = "button"; focus.id = "details-focus";
    focus.addEventListener("click", function () { focusNode(id); });
    actions.appendChild(focus);
    panel.appendChild(actions);
    (DATA.details[id] || []).forEach(function (section) {
      if (!section.items.length) return;
      panel.appendChild(el("h3", null, t("sections")[section.h] || section.h));
      var ul = el("ul");
      section.items.forEach(function (item) {
        var li = el("li");
        if (item.mark) li.appendChild(el("span", "mark", item.mark));
        if (item.k) li.appendChild(el("span", "key", t("keys")[item.k] || item.k));
        var text = state.lang === "en" && item.en ? item.en : item.t;
        var href = item.href && safeHref(item.href);
        if (href) {
          var a = el("a", null, text);
          a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else if (item.id && byId[item.id]) {
          var b = el("button", "linklike", text);
          b.type = "button";
          b.addEventListener("click", function () { selectNode(item.id); });
          li.appendChild(b);
        } else {
          li.appendChild(el("span", null, text));
        }
        if (item.note) li.appendChild(el("span", "note", item.note));
        // on a large network betweenness is estimated from sampled pivots: say so
        if (item.k === "betweenness" && DATA.betweenness) li.appendChild(el("span", "note", fmt(t("approx"), DATA.betweenness)));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    });
  }
  function countOrgs(id) {
    var found = DATA.shared.concat(DATA.shared_places).filter(function (s) { return s.id === id; });
    return found.length ? found[0].n : 0;
  }

  // ---- selection, focus, search -----------------------------------------------------------
  function selectNode(id) {
    if (!byId[id]) return;
    state.selected = id;
    if (shownNodes && !shownNodes[id]) {
      state.focus = id;  // a filtered-out node is shown with its neighbourhood rather than not at all
      applyVisibility();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
    renderDetails(id);
  }
  function focusNode(id) {
    state.focus = id;
    applyVisibility();
    state.selected = id;
    network.selectNodes([id]);
    var ids = [id].concat(adjacency[id]);
    network.fit({ nodes: ids, animation: false });
    renderDetails(id);
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      state.selected = params.nodes[0];
      renderDetails(params.nodes[0]);
    }
  });
  network.on("doubleClick", function (params) { if (params.nodes.length) focusNode(params.nodes[0]); });

  var searchBox = $("search"), results = $("search-results");
  function runSearch() {
    var q = norm(searchBox.value.trim());
    results.textContent = "";
    if (!q) { results.hidden = true; return []; }
    var hits = DATA.nodes.filter(function (n) { return norm(n.search).indexOf(q) >= 0; });
    hits.sort(function (a, b) { return (b.kind === "organisation") - (a.kind === "organisation") || (a.name < b.name ? -1 : 1); });
    hits.slice(0, 30).forEach(function (n) {
      var li = el("li"), b = el("button", "linklike", displayName(n) + "（" + t("kinds")[n.kind] + "）");
      b.type = "button"; b.dataset.node = n.id;
      b.addEventListener("click", function () { results.hidden = true; selectNode(n.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (!hits.length) results.appendChild(el("li", "none", t("noResults")));
    results.hidden = false;
    return hits;
  }
  searchBox.addEventListener("input", runSearch);
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = runSearch();
      if (hits.length) { results.hidden = true; selectNode(hits[0].id); }
    } else if (event.key === "Escape") { results.hidden = true; }
  });
  document.addEventListener("click", function (event) {
    if (!results.contains(event.target) && event.target !== searchBox) results.hidden = true;
  });

  // ---- language, reset, stats ---------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(node.dataset.i18n); });
    searchBox.placeholder = t("search");
    $("lang").textContent = t("lang");
    var updates = DATA.nodes.filter(function (n) { return TRANSLATED[n.kind] && n.label; }).map(function (n) {
      return { id: n.id, label: state.lang === "en" && n.label_en ? n.label_en : n.label };
    });
    nodes.update(updates);
    edges.update(DATA.edges.map(function (e) { return { id: e.id, title: edgeTitle(e) }; }));
    buildLegend(); buildFilters(); buildShared(); renderDetails(state.selected);
    var notice = $("notice");
    if (DATA.aggregation) {
      var a = DATA.aggregation;
      notice.textContent = fmt(t("aggregated"), { full_nodes: a.full_nodes, full_edges: a.full_edges,
        shown_nodes: a.shown_nodes, shown_edges: a.shown_edges,
        steps: a.steps.map(function (s) { return t("steps")[s]; }).join("、") });
      notice.hidden = false;
    }
    if (state.focus) applyVisibility();
    updateStats();
  }
  function updateStats() {
    var shown = shownNodes ? Object.keys(shownNodes).length : DATA.nodes.length;
    var text = fmt(t("stats"), { nodes: DATA.counts.nodes, edges: DATA.counts.edges, shared: DATA.shared.length });
    if (shown !== DATA.nodes.length) text += state.lang === "en" ? " (" + shown + " shown)" : "（" + shown + " 表示中）";
    $("stats").textContent = text;
  }
  $("lang").addEventListener("click", function () { state.lang = state.lang === "ja" ? "en" : "ja"; applyLanguage(); });
  function reset() {
    state = freshState();
    searchBox.value = ""; results.hidden = true;
    $("shared-only").checked = false;
    network.unselectAll();
    applyLanguage();
    applyVisibility();
    network.fit({ animation: false });
  }
  $("reset").addEventListener("click", reset);
  $("focus-exit").addEventListener("click", function () { state.focus = null; applyVisibility(); network.fit({ animation: false }); });

  // ---- start ----------------------------------------------------------------------------------
  var api = { network: network, nodes: nodes, edges: edges, visibleNodeIds: visibleNodeIds,
    state: function () { return state; }, ready: false, settleMs: null };
  window.tsunagari = api;
  network.once("afterDrawing", function () {
    api.settleMs = performance.now() - started;
    api.ready = true;
  });
  applyLanguage();
  applyVisibility();
  network.fit({ animation: false });
})();
