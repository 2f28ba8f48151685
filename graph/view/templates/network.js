/* tsunagari-graph network page. All data is untrusted casebook text: it is only ever put into
   the page with textContent (or as vis-network plain-text titles), never as markup. */
(function () {
  "use strict";
  var started = performance.now();
  var DATA = JSON.parse(document.getElementById("tsunagari-data").textContent);
  var F = DATA.facts;

  var I18N = {
    ja: {
      title: "つながりネットワーク", search: "団体名・連携先・地域・役割・ローマ字で検索（全角・半角どちらでも）",
      reset: "リセット", lang: "English", copyLink: "リンクをコピー", copied: "リンクをコピーしました",
      copyManual: "このリンクをコピーしてください", tabNetwork: "ネットワーク", tabGaps: "ギャップ表",
      legendNodes: "ノードの種類", legendEdges: "関係",
      sharedOnly: "共有された連携先のみ", filters: "絞り込み", prefecture: "都道府県", municipality: "市区町村",
      target: "対象", activity: "取組の種類", all: "（すべて）", primaryOnly: "★のみ", primaryAndSecondary: "★＋☆",
      regionMeaning: "地域の意味", regionActive: "活動地域（取組地域）", regionBased: "所在地（団体住所）",
      regionEither: "どちらか", marksHint: "★＝主な対象・取組、☆＝その他の対象・取組（事例集の表の印）。（なし）はこのデータで該当0。",
      display: "表示", showcase: "強調表示（ほかを隠さない）", focusSteps: "フォーカスの範囲",
      steps1: "1ステップ（隣接）", steps2: "2ステップ", steps3: "3ステップ", sizeBy: "ノードの大きさ",
      sizeKind: "種類ごと", sizeDegree: "次数（エッジ数）", sizeBetweenness: "媒介中心性", sizeOrgs: "つながる団体数",
      colorBy: "色分け", colorKind: "ノードの種類", colorCommunity: "コミュニティ（Leiden）",
      categoryLayer: "連携先の種類をノードとして表示", clusterLabel: "都道府県ごとにまとめる（クリックで展開）",
      clusterHint: "クリックで展開", sharedMark: "◎＝2団体以上に共有された連携先",
      sharedTitle: "共有された連携先（2団体以上）", sharedHint: "クリックでその連携先と団体を表示",
      kindsTitle: "よくある連携先の種類", kindsRow: "{n} / {total}団体",
      kindsHint: "各種類の連携先を1つ以上挙げた団体の数",
      placesTitle: "地域でつながる団体（同じ市区町村で活動・所在・連携）",
      noShared: "これらの団体には、2団体以上に共有された連携先はありません",
      noPlaces: "同じ市区町村でつながる団体はありません", noKinds: "連携先の記載がありません",
      nOrgs: "{n}団体", role: "役割", focus: "近傍だけ表示", focusBanner: "フォーカス中：{name} から {steps} ステップ",
      exitFocus: "解除", detailsEmpty: "ノードをクリックすると詳細を表示します", noResults: "見つかりません",
      stats: "{nodes}ノード・{edges}エッジ・共有された連携先 {shared}", shownSuffix: "（{n} 表示中）",
      approx: "推定値（{n} ノード中 {k} ノードを起点に計算）",
      sharedKind: "共有された連携先（2団体以上）", categoryKind: "連携先の種類",
      aggregated: "大規模なグラフのため集約表示です：全 {full_nodes} ノード・{full_edges} エッジのうち {shown_nodes} ノード・{shown_edges} エッジを表示（{steps}）。検索・絞り込み・ギャップ表は全体が対象です。完全なグラフは network.graphml と tsunagari.ttl にあります。",
      stepsJoin: "、",
      steps: { single_partners: "1団体だけの連携先と取組の種類を省略", municipalities: "市区町村を都道府県にまとめる",
        organisations: "つながりの多い団体に限定", partners: "共有の多い連携先に限定" },
      kinds: { organisation: "団体", partner: "連携先", municipality: "市区町村", prefecture: "都道府県",
        target: "対象", activity: "取組の種類", category: "連携先の種類" },
      relations: { partner_of: "連携（役割は線のツールチップ）", runs_in: "活動地域", based_in: "所在地（団体住所）",
        targets_primary: "対象 ★（主）", targets_secondary: "対象 ☆（副）", activity_primary: "取組 ★（主）",
        activity_secondary: "取組 ☆（副）", located_in: "所在（市区町村・都道府県）", part_of: "所属（部署→自治体）",
        category: "連携先の種類" },
      sections: { about: "概要", initiative: "取組", outcomes: "成果", region: "地域", targets: "対象",
        activities: "取組の種類", partners: "連携先（役割、◎＝共有）", linked: "連携先・地域を共有する団体",
        located: "所在", organisations: "団体", partnered_by: "連携している団体（役割）",
        active_here: "この地域の団体", contains: "含まれるもの" },
      keys: { legal_form: "法人格", alias: "別名", website: "ウェブサイト", initiative: "取組名",
        region: "取組地域", source: "出典", category: "分類", lg_code: "地方公共団体コード",
        degree: "次数", betweenness: "媒介中心性", runs_in: "活動", based_in: "所在地", more: "ほか" },
      resultsTitle: "該当する団体 {n}（全 {total} 団体中）", resultsMore: "ほか {n} 団体（CSVにはすべて含まれます）",
      csv: "CSV保存", activeIn: "活動", basedIn: "所在", partnersN: "連携先 {n}", activitiesLabel: "取組",
      emptyWhy: "条件に合う団体はありません：{cond}。", relaxBoth: "★＋☆にする（{n}団体）",
      relaxPref: "{pref}全体にする（{n}団体）", relaxEither: "活動地域・所在地のどちらでも（{n}団体）",
      relaxTarget: "対象の条件を外す（{n}団体）", relaxActivity: "取組の種類の条件を外す（{n}団体）",
      relaxSearch: "検索語を消す（{n}団体）", nearest: "いちばん近い緩和：",
      condSearch: "検索「{q}」", notShownOrg: "この団体は集約表示では省略されています。",
      zero: "なし", gapTitle: "対象 × 地域（★の取組がない所を強調）",
      gapHint: "数字は取組数（★主・☆副）。赤：★の取組なし、灰：★も☆もなし。セルをクリックすると団体を一覧します。地域は取組地域（市区町村はその都道府県・政令市にも数えます）。",
      gapPlaces: "列", gapAllPrefs: "都道府県（すべて）", gapMunicipalities: "{pref}の市区町村",
      matrixTitle: "取組の種類 × 対象（取組数、括弧内は両方★）", gapNone: "★なし",
      csvHeader: ["団体", "活動地域", "所在地", "対象★", "対象☆", "取組の種類★", "取組の種類☆", "連携先の数", "ID"]
    },
    en: {
      title: "Tsunagari network", search: "Search names, partners, places, roles, romaji (full/half-width alike)",
      reset: "Reset", lang: "日本語", copyLink: "Copy link", copied: "Link copied",
      copyManual: "Copy this link", tabNetwork: "Network", tabGaps: "Gap view",
      legendNodes: "Node types", legendEdges: "Relations",
      sharedOnly: "Shared collaborators only", filters: "Filters", prefecture: "Prefecture", municipality: "Municipality",
      target: "Target group", activity: "Activity type", all: "(all)", primaryOnly: "★ only", primaryAndSecondary: "★ + ☆",
      regionMeaning: "Region means", regionActive: "Active in (initiative region)", regionBased: "Based in (address)",
      regionEither: "Either", marksHint: "★ = main target or activity, ☆ = also served (the casebook tables' marks). (none) = 0 in this data.",
      display: "Display", showcase: "Showcase (highlight, hide nothing)", focusSteps: "Focus depth",
      steps1: "1 step (neighbours)", steps2: "2 steps", steps3: "3 steps", sizeBy: "Node size",
      sizeKind: "By type", sizeDegree: "Degree (edges)", sizeBetweenness: "Betweenness", sizeOrgs: "Organisations linked",
      colorBy: "Colour", colorKind: "Node type", colorCommunity: "Community (Leiden)",
      categoryLayer: "Show kinds of partner as nodes", clusterLabel: "Group by prefecture (click to expand)",
      clusterHint: "Click to expand", sharedMark: "◎ = partner shared by 2+ organisations",
      sharedTitle: "Shared collaborators (2+ organisations)", sharedHint: "Click to show it with its organisations",
      kindsTitle: "Most common kinds of partner", kindsRow: "{n} of {total} orgs",
      kindsHint: "Organisations naming at least one partner of each kind",
      placesTitle: "Organisations meeting in a municipality (active, based or partnering there)",
      noShared: "No partner body is shared by two or more of these organisations",
      noPlaces: "No municipality links two of these organisations", noKinds: "No partners listed",
      nOrgs: "{n} orgs", role: "Role", focus: "Show neighbourhood", focusBanner: "Focus: {name}, {steps} step(s)",
      exitFocus: "Exit", detailsEmpty: "Click a node to see its details", noResults: "No match",
      stats: "{nodes} nodes · {edges} edges · {shared} shared collaborators", shownSuffix: " ({n} shown)",
      approx: "approximate, from {k} of {n} nodes as pivots",
      sharedKind: "Shared collaborator (2+ organisations)", categoryKind: "Kind of partner",
      aggregated: "Large graph, aggregated view: showing {shown_nodes} of {full_nodes} nodes and {shown_edges} of {full_edges} edges ({steps}). Search, filters and the gap view cover everything. The full graph is in network.graphml and tsunagari.ttl.",
      stepsJoin: "; ",
      steps: { single_partners: "partners of one organisation and activity types left out",
        municipalities: "municipalities folded into prefectures", organisations: "best-connected organisations only",
        partners: "most-shared partners only" },
      kinds: { organisation: "Organisation", partner: "Partner body", municipality: "Municipality",
        prefecture: "Prefecture", target: "Target group", activity: "Activity type", category: "Kind of partner" },
      relations: { partner_of: "Partner of (role in tooltip)", runs_in: "Runs in", based_in: "Based in (address)",
        targets_primary: "Targets ★ (primary)", targets_secondary: "Targets ☆ (secondary)",
        activity_primary: "Activity ★ (primary)", activity_secondary: "Activity ☆ (secondary)",
        located_in: "Located in", part_of: "Part of (department → government)", category: "Kind of partner" },
      sections: { about: "About", initiative: "Initiative", outcomes: "Outcomes", region: "Region", targets: "Targets",
        activities: "Activity types", partners: "Partners (roles, ◎ = shared)", linked: "Shares partners or places with",
        located: "Located in", organisations: "Organisations", partnered_by: "Partner of (roles)",
        active_here: "Organisations here", contains: "Contains" },
      keys: { legal_form: "Legal form", alias: "Alias", website: "Website", initiative: "Title",
        region: "Region", source: "Source", category: "Category", lg_code: "LG code",
        degree: "Degree", betweenness: "Betweenness", runs_in: "Runs in", based_in: "Based in", more: "more" },
      resultsTitle: "{n} matching organisations (of {total})", resultsMore: "{n} more (all are in the CSV)",
      csv: "CSV", activeIn: "Active in", basedIn: "Based in", partnersN: "partners: {n}", activitiesLabel: "Activities",
      emptyWhy: "No organisation matches: {cond}.", relaxBoth: "Use ★ + ☆ ({n} orgs)",
      relaxPref: "All of {pref} ({n} orgs)", relaxEither: "Active in or based in ({n} orgs)",
      relaxTarget: "Drop the target group ({n} orgs)", relaxActivity: "Drop the activity type ({n} orgs)",
      relaxSearch: "Clear the search ({n} orgs)", nearest: "Nearest relaxation: ",
      condSearch: "search “{q}”", notShownOrg: "This organisation is left out of the aggregated view.",
      zero: "none", gapTitle: "Target groups × places (no ★ initiative highlighted)",
      gapHint: "Numbers are initiatives (★ primary, ☆ secondary). Red: no ★ initiative; grey: neither ★ nor ☆. Click a cell to list its organisations. Places are initiative regions (a municipality also counts for its prefecture and designated city).",
      gapPlaces: "Columns", gapAllPrefs: "Prefectures (all)", gapMunicipalities: "Municipalities of {pref}",
      matrixTitle: "Activity types × target groups (initiatives; both ★ in brackets)", gapNone: "no ★",
      csvHeader: ["organisation", "active_in", "based_in", "targets_primary", "targets_secondary",
        "activities_primary", "activities_secondary", "partners", "id"]
    }
  };
  // Places and vocabularies switch language; organisation and partner names are proper names.
  var TRANSLATED = { target: true, activity: true, prefecture: true, municipality: true };
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#8C6D31",
    "#7F3C8D", "#11A579", "#3969AC", "#E73F74", "#80BA5A", "#E68310", "#008695", "#CF1C90"];

  function defaults() {
    var kinds = {};
    // a large corpus starts without the target fans: hundreds of edges into 18 stars
    DATA.kinds.forEach(function (k) { kinds[k.kind] = k.kind !== "activity" && !(DATA.aggregation && k.kind === "target"); });
    return { lang: "ja", kinds: kinds, sharedOnly: false, pref: "", mun: "", region: "active",
      target: "", targetMode: "primary", activity: "", activityMode: "primary", q: "", focus: "",
      steps: 1, showcase: false, size: "kind", color: "kind", cat: false, view: "network", gpref: "", sel: "",
      cluster: !!DATA.aggregation };
  }
  var DEFAULTS = defaults();
  var state = defaults();

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
  function button(text, className, onClick) {
    var b = el("button", className || "linklike", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // ---- the corpus (facts) ---------------------------------------------------------------------
  var NAMES = F.names;
  function kindOf(id) { return NAMES[id] ? NAMES[id][0] : (byId[id] ? byId[id].kind : ""); }
  function nameOf(id) {
    var row = NAMES[id];
    if (!row) return byId[id] ? byId[id].name : id;
    return state.lang === "en" && TRANSLATED[row[0]] && row[2] ? row[2] : row[1];
  }
  var ANC = {};
  function ancestors(id) {  // the place, its city and its prefecture, as a set
    if (ANC[id]) return ANC[id];
    var out = {};
    out[id] = true;
    ANC[id] = out;
    (F.parents[id] || []).forEach(function (p) { Object.keys(ancestors(p)).forEach(function (a) { out[a] = true; }); });
    return out;
  }
  function oneHop(ids) {  // as the bundled gaps query counts: a place and its direct parents
    var out = {};
    ids.forEach(function (id) { out[id] = true; (F.parents[id] || []).forEach(function (p) { out[p] = true; }); });
    return out;
  }
  var ORG = {};
  F.orgs.forEach(function (o) {
    ORG[o.id] = o;
    o.active = {}; o.basedAnc = {};
    o.tp = {}; o.ts = {}; o.ap = {}; o.as = {}; o.runs = {};
    o.inits.forEach(function (i) {
      i[0].forEach(function (p) { o.runs[p] = true; Object.assign(o.active, ancestors(p)); });
      i[1].forEach(function (x) { o.tp[x] = true; });
      i[2].forEach(function (x) { o.ts[x] = true; });
      i[3].forEach(function (x) { o.ap[x] = true; });
      i[4].forEach(function (x) { o.as[x] = true; });
    });
    o.based.forEach(function (p) { Object.assign(o.basedAnc, ancestors(p)); });
    // ★ wins over ☆ when two initiatives disagree, as in the details panel
    Object.keys(o.tp).forEach(function (x) { delete o.ts[x]; });
    Object.keys(o.ap).forEach(function (x) { delete o.as[x]; });
  });
  var ORG_IDS = F.orgs.map(function (o) { return o.id; });
  var PREFS = Object.keys(NAMES).filter(function (id) { return NAMES[id][0] === "prefecture"; });
  PREFS.sort(function (a, b) { return a < b ? -1 : 1; });  // ids hold the prefecture code: north to south

  function placeOf(s) { return s.mun || s.pref; }
  function initPasses(org, init, s) {
    var place = placeOf(s);
    if (place) {
      var active = init[0].some(function (p) { return ancestors(p)[place]; });
      var based = !!org.basedAnc[place];
      if (!(s.region === "active" ? active : s.region === "based" ? based : (active || based))) return false;
    }
    if (s.target && init[1].indexOf(s.target) < 0 && !(s.targetMode === "both" && init[2].indexOf(s.target) >= 0)) return false;
    if (s.activity && init[3].indexOf(s.activity) < 0 && !(s.activityMode === "both" && init[4].indexOf(s.activity) >= 0)) return false;
    return true;
  }
  function filtered(s) { return !!(s.pref || s.mun || s.target || s.activity); }
  function orgPasses(org, s) {
    if (!filtered(s)) return true;
    if (!org.inits.length) return false;
    return org.inits.some(function (i) { return initPasses(org, i, s); });
  }
  function searchHits(q) {
    var key = norm(q.trim());
    if (!key) return [];
    return Object.keys(F.search).filter(function (id) { return F.search[id].indexOf(key) >= 0; });
  }
  function searchOrgs(q) {
    var hits = {};
    searchHits(q).forEach(function (id) { hits[id] = true; });
    return function (org) {
      if (hits[org.id]) return true;
      for (var i = 0; i < org.partners.length; i++) if (hits[org.partners[i]]) return true;
      for (var p in org.runs) if (hits[p]) return true;
      for (var j = 0; j < org.based.length; j++) if (hits[org.based[j]]) return true;
      return false;
    };
  }
  // organisations matching a state (null when nothing is asked), sorted by name
  function matchOrgs(s) {
    if (!filtered(s) && !s.q.trim()) return null;
    var bySearch = s.q.trim() ? searchOrgs(s.q) : null;
    var out = F.orgs.filter(function (o) { return orgPasses(o, s) && (!bySearch || bySearch(o)); });
    out.sort(function (a, b) { var x = NAMES[a.id][1], y = NAMES[b.id][1]; return x < y ? -1 : x > y ? 1 : 0; });
    return out;
  }

  // ---- the canvas data --------------------------------------------------------------------------
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; n.baseSize = n.size; n.baseColor = n.color; n.baseFont = n.font; n.baseLabel = n.label; });
  var adjacency = {};
  var parents = {};
  function addAdjacency(e) {
    adjacency[e.from].push(e.to);
    adjacency[e.to].push(e.from);
    if (e.relation === "located_in" || e.relation === "part_of") parents[e.from].push(e.to);
  }
  DATA.nodes.forEach(function (n) { adjacency[n.id] = []; parents[n.id] = []; });
  DATA.edges.forEach(addAdjacency);

  var RELATION = {};
  DATA.relations.forEach(function (r) { RELATION[r.relation] = r; });
  RELATION.category = { relation: "category", color: "#7F3C8D", dashes: [4, 4], width: 1 };
  var VOCAB_EDGE = { target: true, activity: true };
  function edgeTitle(e) {
    // plain text: vis-network shows a string title with innerText
    var text = nameOf(e.from) + " → " + (byId[e.to] ? (byId[e.to].catName ? byId[e.to].catName() : nameOf(e.to)) : "") +
      "\n" + t("relations")[e.relation];
    if (e.roles && e.roles.length) text += "\n" + t("role") + ": " + e.roles.join("・");
    return text;
  }
  function nodeTitle(n) {
    var lines = [n.catName ? n.catName() : nameOf(n.id), t("kinds")[n.kind]];
    if (n.n_orgs) lines.push(fmt(t("nOrgs"), { n: n.n_orgs }) + (n.shared ? " ◎" : ""));
    return lines.join("\n");
  }
  function styleEdge(e) {
    var r = RELATION[e.relation];
    e.arrows = { to: { enabled: true, scaleFactor: 0.4 } };
    e.dashes = r.dashes;
    e.width = r.width;
    // vocabulary edges fan in from everywhere: faint until their node is selected
    e.baseColor = { color: r.color, highlight: "#000000", opacity: byId[e.to] && VOCAB_EDGE[byId[e.to].kind] ? 0.35 : 0.85 };
    e.color = e.baseColor;
    e.title = edgeTitle(e);
  }
  DATA.edges.forEach(styleEdge);
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = $("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);

  // ---- unfolding: nodes of the full corpus that the aggregated view left out --------------------
  var edgeCount = DATA.edges.length;
  function addEdge(from, to, relation) {
    if (!byId[from] || !byId[to]) return;
    var e = { id: "u" + (edgeCount++), from: from, to: to, relation: relation, roles: [] };
    styleEdge(e);
    DATA.edges.push(e);
    edges.add(e);
    addAdjacency(e);
  }
  function factNeighbours(id) {
    var kind = kindOf(id), out = [];
    if (kind === "organisation") {
      var o = ORG[id];
      o.partners.forEach(function (p) { out.push([id, p, "partner_of"]); });
      Object.keys(o.runs).forEach(function (p) { out.push([id, p, "runs_in"]); });
      o.based.forEach(function (p) { out.push([id, p, "based_in"]); });
    } else {
      F.orgs.forEach(function (o) {
        if (o.partners.indexOf(id) >= 0) out.push([o.id, id, "partner_of"]);
        if (o.runs[id]) out.push([o.id, id, "runs_in"]);
        if (o.based.indexOf(id) >= 0) out.push([o.id, id, "based_in"]);
      });
      (F.parents[id] || []).forEach(function (p) { out.push([id, p, "located_in"]); });
    }
    return out;
  }
  function unfold(id) {
    if (byId[id] || !NAMES[id]) return !!byId[id];
    var kind = NAMES[id][0], style = DATA.kinds.filter(function (k) { return k.kind === kind; })[0];
    var links = factNeighbours(id);
    var near = links.map(function (l) { return l[0] === id ? l[1] : l[0]; }).filter(function (n) { return byId[n]; });
    var pos = near.length ? network.getPositions(near) : {};
    var xs = near.map(function (n) { return pos[n].x; }), ys = near.map(function (n) { return pos[n].y; });
    var mean = function (v) { return v.length ? v.reduce(function (a, b) { return a + b; }, 0) / v.length : 0; };
    var n = { id: id, kind: kind, name: NAMES[id][1], name_en: NAMES[id][2], label: NAMES[id][1], label_en: NAMES[id][2] || NAMES[id][1],
      shape: style.shape, size: style.size, color: { background: style.color, border: "#000000" },
      x: mean(xs) + 30, y: mean(ys) + 30, degree: links.length, betweenness: 0, n_orgs: 0, community: -1, unfolded: true };
    n.baseSize = n.size; n.baseColor = n.color; n.baseFont = n.font; n.baseLabel = n.label;
    n.title = nodeTitle(n);
    DATA.nodes.push(n);
    byId[id] = n; adjacency[id] = []; parents[id] = [];
    nodes.add(n);
    links.forEach(function (l) { addEdge(l[0], l[1], l[2]); });
    state.kinds[kind] = true;
    return true;
  }

  // ---- the kinds-of-partner layer -----------------------------------------------------------------
  var CAT_IDS = [];
  function setCategoryLayer(on) {
    if (!on) {
      if (!CAT_IDS.length) return;
      var dropEdges = DATA.edges.filter(function (e) { return e.relation === "category"; });
      edges.remove(dropEdges.map(function (e) { return e.id; }));
      DATA.edges = DATA.edges.filter(function (e) { return e.relation !== "category"; });
      nodes.remove(CAT_IDS);
      CAT_IDS.forEach(function (id) { delete byId[id]; });
      DATA.nodes = DATA.nodes.filter(function (n) { return n.kind !== "category"; });
      Object.keys(adjacency).forEach(function (id) {
        if (CAT_IDS.indexOf(id) >= 0) { delete adjacency[id]; return; }
        adjacency[id] = adjacency[id].filter(function (x) { return CAT_IDS.indexOf(x) < 0; });
      });
      CAT_IDS = [];
      return;
    }
    if (CAT_IDS.length) return;
    var pos = network.getPositions();
    var ys = Object.keys(pos).map(function (k) { return pos[k].y; });
    var xs = Object.keys(pos).map(function (k) { return pos[k].x; });
    var bottom = Math.max.apply(null, ys) + 140, left = Math.min.apply(null, xs), right = Math.max.apply(null, xs);
    // one box per kind in a row under the network, wide enough for its label
    var step = Math.max((right - left) / F.categories.length, 280);
    F.categories.forEach(function (c, i) {
      var id = "cat-" + i;
      var n = { id: id, kind: "category", shape: "box", size: 14, label: c[0], x: (left + right) / 2 + step * (i - (F.categories.length - 1) / 2),
        y: bottom, color: { background: "#F3E8F7", border: "#7F3C8D" }, font: { size: 34, color: "#3a1446" },
        catName: function () { return state.lang === "en" && c[1] ? c[1] : c[0]; }, degree: 0, betweenness: 0, n_orgs: 0, community: -1 };
      n.baseSize = n.size; n.baseColor = n.color; n.baseFont = n.font;
      n.title = nodeTitle(n);
      DATA.nodes.push(n); byId[id] = n; adjacency[id] = []; parents[id] = [];
      CAT_IDS.push(id);
    });
    nodes.add(CAT_IDS.map(function (id) { return byId[id]; }));
    DATA.nodes.forEach(function (n) {
      if (n.kind !== "organisation" || !ORG[n.id]) return;
      var seen = {};
      ORG[n.id].partners.forEach(function (p) {
        var c = F.partners[p] ? F.partners[p][0] : -1;
        if (c >= 0 && !seen[c]) { seen[c] = true; addEdge(n.id, "cat-" + c, "category"); }
      });
    });
  }

  // ---- visibility, showcase, focus ------------------------------------------------------------------
  function allowed(n) {
    if (n.kind === "category") return state.cat;
    if (!state.kinds[n.kind]) return false;
    return !(state.sharedOnly && n.kind === "partner" && !n.shared);
  }
  function neighbourhood(id, steps) {
    var seen = {}, frontier = [id];
    seen[id] = true;
    for (var s = 0; s < steps; s++) {
      var next = [];
      frontier.forEach(function (u) {
        (adjacency[u] || []).forEach(function (v) {
          // target groups and activity types join everything: a step never passes through them
          if (!seen[v]) { seen[v] = true; if (!VOCAB_EDGE[byId[v].kind]) next.push(v); }
        });
      });
      frontier = next;
    }
    return seen;
  }
  var matched = null;  // organisations of the filters and search, or null
  function computeVisible() {
    var visible = {};
    if (state.focus && byId[state.focus]) {
      var near = neighbourhood(state.focus, state.steps);
      Object.keys(near).forEach(function (id) { if (id === state.focus || allowed(byId[id])) visible[id] = true; });
      return visible;
    }
    var anchors = null;
    if (matched) {
      anchors = {};
      matched.forEach(function (o) { if (byId[o.id]) anchors[o.id] = true; });
    }
    DATA.nodes.forEach(function (n) {
      if (!allowed(n)) return;
      if (n.kind === "organisation") {
        if (!anchors || anchors[n.id]) visible[n.id] = true;
      } else if (!anchors || adjacency[n.id].some(function (id) { return anchors[id]; })) {
        visible[n.id] = true;
      }
    });
    if (anchors) {
      // keep the places the shown nodes belong to, so a filtered view still says where
      Object.keys(visible).forEach(function (id) {
        parents[id].forEach(function (p) { if (allowed(byId[p])) visible[p] = true; });
      });
    }
    return visible;
  }
  var shownNodes = null;
  function nodeLook(n, dim) {
    var color = n.baseColor, size = n.baseSize, font = n.baseFont;
    if (state.color === "community" && n.kind !== "category") {
      var c = n.community >= 0 ? PALETTE[n.community % PALETTE.length] : "#BBBBBB";
      color = { background: c, border: c, highlight: { background: c, border: "#000000" } };
    }
    if (state.size !== "kind" && n.kind !== "category") {
      var key = state.size, max = METRIC_MAX[key] || 1;
      size = 6 + 34 * Math.sqrt((n[key] || 0) / max);
    }
    if (dim) {
      color = { background: "#EEEEEE", border: "#DDDDDD", highlight: { background: "#DDDDDD", border: "#999999" } };
      font = { color: "#C8C8C8", size: font && font.size ? font.size : 12 };
    }
    var look = { id: n.id, color: color, size: size, font: font || {} };
    if (n.kind === "organisation") {
      // a matched organisation is always labelled, large enough to read once the canvas fits
      var hit = matched && MATCHED[n.id];
      look.label = hit ? shortName(n.name, 18) : n.baseLabel;
      if (hit) look.font = { size: 24, color: "#0b2e4f", strokeWidth: 4, strokeColor: "#ffffff" };
    }
    return look;
  }
  function shortName(text, limit) { return text.length <= limit ? text : text.slice(0, limit - 1) + "…"; }
  var MATCHED = {};
  var METRIC_MAX = {};
  ["degree", "betweenness", "n_orgs"].forEach(function (k) {
    METRIC_MAX[k] = Math.max.apply(null, DATA.nodes.map(function (n) { return n[k] || 0; }).concat([1e-9]));
  });
  // ---- clusters: a large corpus opens as one node per prefecture, expanded on click ---------------
  var CLUSTER_OF = {};
  DATA.nodes.forEach(function (n) {
    var o = ORG[n.id];
    if (n.kind === "organisation" && o) {
      var prefs = PREFS.filter(function (p) { return o.active[p]; });
      if (!prefs.length) prefs = PREFS.filter(function (p) { return o.basedAnc[p]; });
      if (prefs.length) CLUSTER_OF[n.id] = prefs[0];
    } else if (n.kind === "municipality") {
      var up = PREFS.filter(function (p) { return ancestors(n.id)[p]; });
      if (up.length) CLUSTER_OF[n.id] = up[0];
    } else if (n.kind === "prefecture") {
      CLUSTER_OF[n.id] = n.id;
    }
  });
  var clustered = {};
  // vis-network refreshes all its data after each cluster change unless told not to: with 47
  // prefectures that is 47 refreshes of thousands of edges, so each change refreshes once
  function refresh() { network.body.emitter.emit("_dataChanged"); }
  function openClusters() {
    var ids = Object.keys(clustered);
    ids.forEach(function (c) { if (network.isCluster(c)) network.openCluster(c, {}, false); });
    clustered = {};
    if (ids.length) refresh();
  }
  function makeClusters() {
    openClusters();
    var members = {};
    Object.keys(CLUSTER_OF).forEach(function (id) {
      if (shownNodes && shownNodes[id]) (members[CLUSTER_OF[id]] = members[CLUSTER_OF[id]] || []).push(id);
    });
    Object.keys(members).forEach(function (p) {
      var orgs = members[p].filter(function (id) { return kindOf(id) === "organisation"; }).length;
      if (orgs < 2) return;
      var inside = {};
      members[p].forEach(function (id) { inside[id] = true; });
      var id = "cluster-" + p;
      network.cluster({
        joinCondition: function (n) { return !!inside[n.id]; },
        clusterNodeProperties: { id: id, label: nameOf(p) + " (" + fmt(t("nOrgs"), { n: orgs }) + ")", shape: "diamond",
          size: 30 + 8 * Math.sqrt(orgs), color: { background: "#00604A", border: "#003d2f" },
          font: { size: 40, color: "#003d2f", strokeWidth: 6, strokeColor: "#ffffff" }, title: nameOf(p) + "\n" + t("clusterHint") }
      }, false);
      clustered[id] = p;
    });
    refresh();
  }
  function applyClusters() {
    // clusters are an overview: any filter, search or focus opens them, so what matches is seen
    if (state.cluster && !matched && !state.focus) makeClusters();
    else openClusters();
  }
  network.on("selectNode", function (params) {
    var id = params.nodes[0];
    if (id && network.isCluster(id)) {
      network.openCluster(id);
      delete clustered[id];
      network.unselectAll();
    }
  });
  $("cluster").addEventListener("change", function (event) { state.cluster = event.target.checked; applyVisibility(); });

  function applyVisibility() {
    openClusters();
    matched = matchOrgs(state);
    MATCHED = {};
    (matched || []).forEach(function (o) { MATCHED[o.id] = true; });
    var visible = computeVisible();
    var narrowing = !!(matched || state.focus);
    var nodeUpdates = [];
    DATA.nodes.forEach(function (n) {
      var inView = !!visible[n.id];
      var hidden = !inView && !(state.showcase && narrowing && allowed(n));
      var look = nodeLook(n, !inView && !hidden);
      look.hidden = hidden;
      nodeUpdates.push(look);
    });
    var edgeUpdates = [];
    DATA.edges.forEach(function (e) {
      var both = visible[e.from] && visible[e.to];
      var drawn = !!(byId[e.from] && byId[e.to]) && (both || (state.showcase && narrowing && allowed(byId[e.from]) && allowed(byId[e.to])));
      edgeUpdates.push({ id: e.id, hidden: !drawn, color: both ? e.baseColor : { color: "#E4E4E4", opacity: 0.6 } });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    shownNodes = visible;
    applyClusters();
    var focusBanner = $("focus-banner");
    focusBanner.hidden = !state.focus;
    if (state.focus) $("focus-text").textContent = fmt(t("focusBanner"), { name: nameOf(state.focus), steps: state.steps });
    renderResults();
    renderPanels();
    updateStats();
    writeHash();
  }
  function fitTo(ids) {
    // the matched organisations and what they touch, without the far ring of target groups
    var want = {};
    ids.forEach(function (id) {
      want[id] = true;
      (adjacency[id] || []).forEach(function (v) { if (byId[v] && !VOCAB_EDGE[byId[v].kind]) want[v] = true; });
    });
    var present = Object.keys(want).filter(function (id) { return byId[id] && shownNodes && shownNodes[id]; });
    if (!present.length) { network.fit({ animation: false }); return; }
    network.fit({ nodes: present, animation: false, maxZoomLevel: 1.6 });
    // neighbours spread over a large corpus would shrink the labels to nothing: the
    // organisations themselves come first
    var only = ids.filter(function (id) { return byId[id] && shownNodes[id]; });
    if (network.getScale() < 0.45 && only.length) network.fit({ nodes: only, animation: false, maxZoomLevel: 1.6 });
  }
  function visibleNodeIds() {
    return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; });
  }

  // ---- results list -------------------------------------------------------------------------------
  var RESULT_LIMIT = 200;
  function names(ids) { return ids.map(nameOf); }
  function orgRow(o) {
    var runs = Object.keys(o.runs).sort();
    return {
      id: o.id, name: NAMES[o.id][1], active: names(runs), based: names(o.based),
      tp: names(VOCAB_ORDER.target.filter(function (x) { return o.tp[x]; })),
      ts: names(VOCAB_ORDER.target.filter(function (x) { return o.ts[x]; })),
      ap: names(VOCAB_ORDER.activity.filter(function (x) { return o.ap[x]; })),
      as: names(VOCAB_ORDER.activity.filter(function (x) { return o.as[x]; })),
      partners: o.partners.length
    };
  }
  function conditionText(s) {
    var parts = [];
    var place = placeOf(s);
    if (place) parts.push(nameOf(place) + paren(t(s.region === "active" ? "regionActive" : s.region === "based" ? "regionBased" : "regionEither")));
    if (s.target) parts.push(nameOf(s.target) + " " + t(s.targetMode === "primary" ? "primaryOnly" : "primaryAndSecondary"));
    if (s.activity) parts.push(nameOf(s.activity) + " " + t(s.activityMode === "primary" ? "primaryOnly" : "primaryAndSecondary"));
    if (s.q.trim()) parts.push(fmt(t("condSearch"), { q: s.q.trim() }));
    return parts.join(state.lang === "en" ? ", " : "、");
  }
  function relaxations() {
    var out = [];
    function tryState(key, change, extra) {
      var s = Object.assign({}, state, change);
      var n = matchOrgs(s);
      n = n ? n.length : ORG_IDS.length;
      if (n) out.push({ key: key, change: change, n: n, extra: extra || {} });
    }
    if (state.target && state.targetMode === "primary") tryState("relaxBoth", { targetMode: "both" });
    if (state.activity && state.activityMode === "primary") tryState("relaxBoth", { activityMode: "both" });
    if (state.target && state.targetMode === "primary" && state.activity && state.activityMode === "primary")
      tryState("relaxBoth", { targetMode: "both", activityMode: "both" });
    if (state.mun && state.pref) tryState("relaxPref", { mun: "" }, { pref: nameOf(state.pref) });
    if (placeOf(state) && state.region !== "either") tryState("relaxEither", { region: "either" });
    if (state.target) tryState("relaxTarget", { target: "" });
    if (state.activity) tryState("relaxActivity", { activity: "" });
    if (state.q.trim()) tryState("relaxSearch", { q: "" });
    return out;
  }
  function renderResults() {
    var box = $("results");
    box.hidden = !matched;
    if (!matched) return;
    $("results-title").textContent = fmt(t("resultsTitle"), { n: matched.length, total: ORG_IDS.length });
    var why = $("results-why"), relax = $("results-relax"), list = $("results-list");
    why.textContent = ""; relax.textContent = ""; list.textContent = "";
    $("results-csv").disabled = !matched.length;
    if (!matched.length) {
      why.textContent = fmt(t("emptyWhy"), { cond: conditionText(state) });
      relaxations().forEach(function (r, i) {
        if (i === 0) relax.appendChild(el("span", "hint", t("nearest")));
        var b = button(fmt(t(r.key), Object.assign({ n: r.n }, r.extra)), i === 0 ? "relax nearest" : "relax", function () {
          Object.assign(state, r.change);
          if ("q" in r.change) searchBox.value = "";
          buildFilters();
          applyVisibility();
          fitTo(matched ? matched.map(function (o) { return o.id; }) : []);
        });
        b.dataset.relax = r.key;
        relax.appendChild(b);
      });
      return;
    }
    matched.slice(0, RESULT_LIMIT).forEach(function (o) {
      var row = orgRow(o), li = el("li");
      var b = button(row.name, "linklike name", function () { showOrg(o.id); });
      b.dataset.node = o.id;
      li.appendChild(b);
      var where = [];
      if (row.active.length) where.push(t("activeIn") + ": " + row.active.join("、"));
      if (row.based.length) where.push(t("basedIn") + ": " + row.based.join("、"));
      li.appendChild(el("div", "meta", where.join(" ／ ")));
      var marks = row.tp.map(function (x) { return "★" + x; }).concat(row.ts.map(function (x) { return "☆" + x; }));
      if (marks.length) li.appendChild(el("div", "meta marks", marks.join(" ")));
      var acts = row.ap.map(function (x) { return "★" + x; }).concat(row.as.map(function (x) { return "☆" + x; }));
      if (acts.length) li.appendChild(el("div", "meta", t("activitiesLabel") + ": " + acts.join(" ")));
      li.appendChild(el("div", "meta", fmt(t("partnersN"), { n: row.partners })));
      list.appendChild(li);
    });
    if (matched.length > RESULT_LIMIT) list.appendChild(el("li", "hint", fmt(t("resultsMore"), { n: matched.length - RESULT_LIMIT })));
  }
  function csvField(value) {
    var text = String(value);
    // a cell starting with = + - @ would run as a formula in a spreadsheet: casebook text is untrusted
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function resultsCsv() {
    var rows = [t("csvHeader")];
    (matched || []).forEach(function (o) {
      var r = orgRow(o);
      rows.push([r.name, r.active.join("・"), r.based.join("・"), r.tp.join("・"), r.ts.join("・"),
        r.ap.join("・"), r.as.join("・"), r.partners, r.id]);
    });
    return "\ufeff" + rows.map(function (row) { return row.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }
  $("results-csv").addEventListener("click", function () {
    var blob = new Blob([resultsCsv()], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "tsunagari-results.csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  });

  // ---- side panels that follow the filters --------------------------------------------------------
  function baseOrgs() { return matched || F.orgs; }
  function renderPanels() {
    var orgs = baseOrgs();
    var count = {}, usersOf = {};
    orgs.forEach(function (o) {
      o.partners.forEach(function (p) { count[p] = (count[p] || 0) + 1; (usersOf[p] = usersOf[p] || []).push(NAMES[o.id][1]); });
    });
    var shared = Object.keys(count).filter(function (p) { return count[p] >= 2; });
    shared.sort(function (a, b) {
      return count[b] - count[a] || (F.partners[b] ? F.partners[b][1] : 0) - (F.partners[a] ? F.partners[a][1] : 0) || (a < b ? -1 : 1);
    });
    fillRanking($("shared-list"), shared.map(function (p) { return { id: p, n: count[p], orgs: usersOf[p].slice(0, 8) }; }), "noShared", "nOrgs");
    document.querySelector("[data-i18n=sharedHint]").hidden = !shared.length;
    var byCat = F.categories.map(function () { return 0; }), withPartners = 0;
    orgs.forEach(function (o) {
      var seen = {};
      o.partners.forEach(function (p) { var c = F.partners[p] ? F.partners[p][0] : -1; if (c >= 0) seen[c] = true; });
      if (Object.keys(seen).length) withPartners++;
      Object.keys(seen).forEach(function (c) { byCat[c]++; });
    });
    var cats = byCat.map(function (n, i) { return { i: i, n: n }; }).filter(function (c) { return c.n > 0; });
    cats.sort(function (a, b) { return b.n - a.n || a.i - b.i; });
    var kl = $("kinds-list");
    kl.textContent = "";
    if (!cats.length) kl.appendChild(el("li", "hint", t("noKinds")));
    cats.forEach(function (c) {
      var li = el("li"), cat = F.categories[c.i];
      li.appendChild(el("span", "catname", state.lang === "en" && cat[1] ? cat[1] : cat[0]));
      li.appendChild(el("span", "count", fmt(t("kindsRow"), { n: c.n, total: orgs.length })));
      var bar = el("span", "bar");
      bar.style.width = Math.round(100 * c.n / Math.max(orgs.length, 1)) + "%";
      li.appendChild(bar);
      kl.appendChild(li);
    });
    var byPlace = {};
    orgs.forEach(function (o) { o.places.forEach(function (p) { (byPlace[p] = byPlace[p] || []).push(o); }); });
    var places = Object.keys(byPlace).filter(function (p) { return kindOf(p) === "municipality" && byPlace[p].length >= 2; });
    places.sort(function (a, b) {
      var x = NAMES[a][1], y = NAMES[b][1];
      return byPlace[b].length - byPlace[a].length || (x < y ? -1 : x > y ? 1 : (a < b ? -1 : 1));
    });
    fillRanking($("places-list"), places.map(function (p) {
      return { id: p, n: byPlace[p].length, orgs: byPlace[p].map(function (o) { return NAMES[o.id][1]; }).sort().slice(0, 8) };
    }), "noPlaces", "nOrgs");
  }
  function fillRanking(list, items, emptyKey, countKey) {
    list.textContent = "";
    if (!items.length) list.appendChild(el("li", "hint", t(emptyKey)));
    items.slice(0, 60).forEach(function (item) {
      var li = el("li"), b = button(nameOf(item.id), "linklike", function () { focusNode(item.id); });
      b.dataset.node = item.id;
      li.appendChild(b);
      li.appendChild(el("span", "count", fmt(t(countKey), { n: item.n })));
      // a long list would push the ranking off screen; the details panel has the rest
      li.appendChild(el("span", "orgs", item.orgs.join("、") + (item.n > item.orgs.length ? "…" : "")));
      list.appendChild(li);
    });
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
    } else if (shape === "square" || shape === "box") {
      node = document.createElementNS(SVG, "rect");
      node.setAttribute("x", 2); node.setAttribute("y", shape === "box" ? 5 : 2); node.setAttribute("width", 14); node.setAttribute("height", shape === "box" ? 8 : 14);
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
  var kindCounts = {};
  DATA.nodes.forEach(function (n) { kindCounts[n.kind] = (kindCounts[n.kind] || 0) + 1; });
  // over the whole corpus, as the panels are: an aggregated view may draw fewer
  var sharedShown = Object.keys(F.partners).filter(function (p) { return F.partners[p][2] >= 2; }).length;
  function buildLegend() {
    var ul = $("legend-kinds");
    ul.textContent = "";
    DATA.kinds.forEach(function (k) {
      var li = el("li"), label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = state.kinds[k.kind]; box.dataset.kind = k.kind;
      box.addEventListener("change", function () { state.kinds[k.kind] = box.checked; applyVisibility(); });
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
    shared.appendChild(el("span", "count", String(sharedShown)));
    ul.appendChild(shared);
    var cat = el("li");
    cat.appendChild(shapeSwatch("box", "#F3E8F7", "#7F3C8D"));
    cat.appendChild(el("span", null, t("categoryKind")));
    ul.appendChild(cat);
    var rel = $("legend-relations");
    rel.textContent = "";
    var present = {};
    DATA.edges.forEach(function (e) { present[e.relation] = true; });
    DATA.relations.concat(state.cat ? [RELATION.category] : []).forEach(function (r) {
      if (!present[r.relation]) return;
      var li = el("li");
      li.appendChild(lineSwatch(r));
      li.appendChild(el("span", null, t("relations")[r.relation]));
      rel.appendChild(li);
    });
  }
  var VOCAB_ORDER = { target: F.vocab.target.map(function (v) { return v.id; }), activity: F.vocab.activity.map(function (v) { return v.id; }) };
  function vocabName(item) { return state.lang === "en" && item.en ? item.en : item.t; }
  F.vocab.target.concat(F.vocab.activity).forEach(function (v) {
    if (!NAMES[v.id]) NAMES[v.id] = [VOCAB_ORDER.target.indexOf(v.id) >= 0 ? "target" : "activity", v.t, v.en];
  });
  function fillOptions(select, items, value) {
    select.textContent = "";
    items.forEach(function (item) {
      var option = el("option", item.zero ? "zero" : null, item.text);
      option.value = item.id;
      select.appendChild(option);
    });
    select.value = value;
    if (select.value !== value) select.value = "";
  }
  function paren(text) { return state.lang === "en" ? " (" + text + ")" : "（" + text + "）"; }
  function allItem() { return { id: "", text: t("all") }; }
  function placeCount(s, place) {
    return F.orgs.filter(function (o) { return orgPasses(o, Object.assign({}, s, { pref: place, mun: "", target: "", activity: "" })); }).length;
  }
  function buildFilters() {
    var s = state;
    var prefItems = [allItem()].concat(PREFS.map(function (p) {
      var n = placeCount(s, p);
      return { id: p, text: nameOf(p) + paren(n || t("zero")), zero: !n };
    }).filter(function (i) { return !i.zero || i.id === s.pref; }));
    fillOptions($("filter-prefecture"), prefItems, s.pref);
    var munItems = [allItem()];
    if (s.pref) {
      var muns = Object.keys(NAMES).filter(function (id) { return NAMES[id][0] === "municipality" && id !== s.pref && ancestors(id)[s.pref]; });
      muns.sort(function (a, b) { return a < b ? -1 : 1; });
      muns.forEach(function (m) {
        var n = F.orgs.filter(function (o) { return orgPasses(o, Object.assign({}, s, { mun: m, target: "", activity: "" })); }).length;
        if (n || m === s.mun) munItems.push({ id: m, text: nameOf(m) + paren(n || t("zero")), zero: !n });
      });
    }
    fillOptions($("filter-municipality"), munItems, s.mun);
    $("filter-municipality").disabled = !s.pref;
    [["target", "filter-target", 1, 2], ["activity", "filter-activity", 3, 4]].forEach(function (spec) {
      var kind = spec[0];
      var scope = Object.assign({}, s); scope[kind] = "";
      var orgs = F.orgs.filter(function (o) { return orgPasses(o, scope); });
      var items = [allItem()].concat(F.vocab[kind].map(function (v) {
        var p = 0, b = 0;
        orgs.forEach(function (o) {
          var prim = kind === "target" ? o.tp : o.ap, sec = kind === "target" ? o.ts : o.as;
          if (prim[v.id]) { p++; b++; } else if (sec[v.id]) b++;
        });
        var text = vocabName(v) + paren(b ? "★" + p + (state.lang === "en" ? " · ★☆" : "・★☆") + b : t("zero"));
        return { id: v.id, text: text, zero: !b };
      }));
      fillOptions($(spec[1]), items, s[kind]);
    });
    fillModes($("filter-target-mode"), s.targetMode);
    fillModes($("filter-activity-mode"), s.activityMode);
    document.querySelectorAll("#filter-region input").forEach(function (r) { r.checked = r.value === s.region; });
    fillPlain($("focus-steps"), [["1", t("steps1")], ["2", t("steps2")], ["3", t("steps3")]], String(s.steps));
    fillPlain($("size-by"), [["kind", t("sizeKind")], ["degree", t("sizeDegree")], ["betweenness", t("sizeBetweenness")], ["n_orgs", t("sizeOrgs")]], s.size);
    fillPlain($("color-by"), [["kind", t("colorKind")], ["community", t("colorCommunity")]], s.color);
    $("showcase").checked = s.showcase;
    $("shared-only").checked = s.sharedOnly;
    $("category-layer").checked = s.cat;
    $("cluster").checked = s.cluster;
  }
  function fillPlain(select, pairs, value) {
    select.textContent = "";
    pairs.forEach(function (p) { var o = el("option", null, p[1]); o.value = p[0]; select.appendChild(o); });
    select.value = value;
  }
  function fillModes(select, value) {
    fillPlain(select, [["primary", t("primaryOnly")], ["both", t("primaryAndSecondary")]], value);
  }
  function onFilterChange() {
    state.focus = "";
    buildFilters();
    applyVisibility();
    if (matched) fitTo(matched.map(function (o) { return o.id; }));
    else network.fit({ animation: false });
  }
  [["filter-prefecture", "pref"], ["filter-municipality", "mun"], ["filter-target", "target"], ["filter-target-mode", "targetMode"],
   ["filter-activity", "activity"], ["filter-activity-mode", "activityMode"]].forEach(function (pair) {
    $(pair[0]).addEventListener("change", function (event) {
      state[pair[1]] = event.target.value;
      if (pair[1] === "pref") state.mun = "";
      // choosing an activity type filter shows the activity nodes it is about
      if (pair[1] === "activity" && state.activity && !state.kinds.activity) state.kinds.activity = true;
      if (pair[1] === "target" && state.target && !state.kinds.target) state.kinds.target = true;
      buildLegend();
      onFilterChange();
    });
  });
  document.querySelectorAll("#filter-region input").forEach(function (r) {
    r.addEventListener("change", function () { if (r.checked) { state.region = r.value; onFilterChange(); } });
  });
  $("shared-only").addEventListener("change", function (event) { state.sharedOnly = event.target.checked; applyVisibility(); });
  $("showcase").addEventListener("change", function (event) { state.showcase = event.target.checked; applyVisibility(); });
  $("focus-steps").addEventListener("change", function (event) {
    state.steps = Number(event.target.value);
    applyVisibility();
    if (state.focus) fitTo(Object.keys(shownNodes));
  });
  $("size-by").addEventListener("change", function (event) { state.size = event.target.value; applyVisibility(); });
  $("color-by").addEventListener("change", function (event) { state.color = event.target.value; applyVisibility(); });
  $("category-layer").addEventListener("change", function (event) {
    state.cat = event.target.checked;
    setCategoryLayer(state.cat);
    buildLegend();
    applyVisibility();
  });

  // ---- gap view -----------------------------------------------------------------------------------
  function gapCounts(columns) {
    // column → target → [★ initiatives, ☆ initiatives], counted once per initiative
    var cells = {};
    columns.forEach(function (c) { cells[c] = {}; });
    F.orgs.forEach(function (o) {
      o.inits.forEach(function (i) {
        var at = oneHop(i[0]);
        columns.forEach(function (c) {
          if (!at[c]) return;
          i[1].forEach(function (x) { (cells[c][x] = cells[c][x] || [0, 0])[0]++; });
          i[2].forEach(function (x) { (cells[c][x] = cells[c][x] || [0, 0])[1]++; });
        });
      });
    });
    return cells;
  }
  function activePlaces() {  // places with an initiative active there (directly or one step up)
    var out = {};
    F.orgs.forEach(function (o) { o.inits.forEach(function (i) { Object.assign(out, oneHop(i[0])); }); });
    return out;
  }
  function gapColumns() {
    var active = activePlaces();
    if (!state.gpref) return PREFS.filter(function (p) { return active[p]; });
    var muns = Object.keys(active).filter(function (id) { return kindOf(id) === "municipality" && ancestors(id)[state.gpref]; });
    return muns.sort(function (a, b) { return a < b ? -1 : 1; });
  }
  function headerCell(text, cls) { var th = el("th", cls, text); th.scope = "col"; return th; }
  function renderGaps() {
    var select = $("gap-prefecture");
    var active = activePlaces();
    fillPlain(select, [["", t("gapAllPrefs")]].concat(PREFS.filter(function (p) { return active[p]; }).map(function (p) {
      return [p, fmt(t("gapMunicipalities"), { pref: nameOf(p) })];
    })), state.gpref);
    var columns = gapColumns(), cells = gapCounts(columns);
    var table = $("gap-matrix");
    table.textContent = "";
    var head = el("tr");
    head.appendChild(headerCell("", "corner"));
    columns.forEach(function (c) { head.appendChild(headerCell(nameOf(c), "col")); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    F.vocab.target.forEach(function (v) {
      var tr = el("tr"), th = el("th", "row", vocabName(v));
      th.scope = "row";
      tr.appendChild(th);
      columns.forEach(function (c) {
        var n = cells[c][v.id] || [0, 0];
        var td = el("td", n[0] ? "served" : n[1] ? "gap" : "gap empty");
        td.dataset.place = c; td.dataset.target = v.id; td.dataset.primary = n[0]; td.dataset.secondary = n[1];
        var b = button(n[0] || n[1] ? "★" + n[0] + (n[1] ? " ☆" + n[1] : "") : "—", "cell", function () {
          var pref = kindOf(c) === "prefecture" ? c : state.gpref;
          Object.assign(state, { pref: pref, mun: kindOf(c) === "prefecture" ? "" : c, target: v.id, targetMode: "both",
            activity: "", region: "active", q: "", focus: "" });
          searchBox.value = "";
          buildFilters();
          applyVisibility();
          highlightCell(td);
        });
        b.title = nameOf(c) + " × " + vocabName(v) + (n[0] ? "" : paren(t("gapNone")));
        td.appendChild(b);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    renderActivityMatrix();
  }
  function highlightCell(td) {
    document.querySelectorAll(".matrix td.picked").forEach(function (x) { x.classList.remove("picked"); });
    td.classList.add("picked");
  }
  function renderActivityMatrix() {
    var both = {}, prim = {};
    F.orgs.forEach(function (o) {
      o.inits.forEach(function (i) {
        var acts = i[3].concat(i[4]), tgs = i[1].concat(i[2]);
        acts.forEach(function (a) { tgs.forEach(function (x) { both[a + " " + x] = (both[a + " " + x] || 0) + 1; }); });
        i[3].forEach(function (a) { i[1].forEach(function (x) { prim[a + " " + x] = (prim[a + " " + x] || 0) + 1; }); });
      });
    });
    var table = $("activity-matrix");
    table.textContent = "";
    var head = el("tr");
    head.appendChild(headerCell("", "corner"));
    F.vocab.target.forEach(function (v) { head.appendChild(headerCell(vocabName(v), "col")); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    F.vocab.activity.forEach(function (a) {
      var tr = el("tr"), th = el("th", "row", vocabName(a));
      th.scope = "row";
      tr.appendChild(th);
      F.vocab.target.forEach(function (v) {
        var n = both[a.id + " " + v.id] || 0, p = prim[a.id + " " + v.id] || 0;
        var td = el("td", n ? (p ? "served" : "gap") : "gap empty");
        td.dataset.activity = a.id; td.dataset.target = v.id; td.dataset.n = n; td.dataset.primary = p;
        var b = button(n ? n + (p ? " (" + p + ")" : "") : "—", "cell", function () {
          Object.assign(state, { pref: "", mun: "", target: v.id, targetMode: "both", activity: a.id, activityMode: "both", q: "", focus: "" });
          searchBox.value = "";
          buildFilters();
          applyVisibility();
          highlightCell(td);
        });
        b.title = vocabName(a) + " × " + vocabName(v);
        td.appendChild(b);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
  }
  $("gap-prefecture").addEventListener("change", function (event) { state.gpref = event.target.value; renderGaps(); writeHash(); });
  function showView(view) {
    state.view = view;
    $("network").hidden = view !== "network";
    $("gaps").hidden = view !== "gaps";
    $("tab-network").setAttribute("aria-selected", String(view === "network"));
    $("tab-gaps").setAttribute("aria-selected", String(view === "gaps"));
    if (view === "gaps") renderGaps();
    else network.redraw();
    writeHash();
  }
  $("tab-network").addEventListener("click", function () {
    showView("network");
    if (matched) fitTo(matched.map(function (o) { return o.id; }));
  });
  $("tab-gaps").addEventListener("click", function () { showView("gaps"); });

  // ---- details panel ----------------------------------------------------------------------
  function safeHref(href) { return /^https?:\/\/[^\s"'<>]+$/i.test(href) ? href : null; }
  function renderDetails(id) {
    var panel = $("details");
    panel.textContent = "";
    if (!id || !(byId[id] || NAMES[id])) {
      panel.appendChild(el("p", "hint", t("detailsEmpty")));
      return;
    }
    var n = byId[id] || { kind: kindOf(id) };
    panel.appendChild(el("h2", "name", n.catName ? n.catName() : nameOf(id)));
    var shared = n.shared || (F.partners[id] && F.partners[id][2] >= 2);
    panel.appendChild(el("div", "kind", t("kinds")[n.kind] + (shared ? " · ◎ " + fmt(t("nOrgs"), { n: F.partners[id][2] }) : "")));
    var actions = el("div", "actions");
    var focus = button(t("focus"), "", function () { focusNode(id); });
    focus.id = "details-focus";
    actions.appendChild(focus);
    panel.appendChild(actions);
    if (!DATA.details[id] && ORG[id]) {
      // left out of the aggregated view: what the corpus tables say
      panel.appendChild(el("p", "hint", t("notShownOrg")));
      var row = orgRow(ORG[id]), ul0 = el("ul");
      [[t("activeIn"), row.active], [t("basedIn"), row.based], ["★", row.tp], ["☆", row.ts]].forEach(function (p) {
        if (p[1].length) ul0.appendChild(el("li", null, p[0] + ": " + p[1].join("、")));
      });
      panel.appendChild(ul0);
    }
    (DATA.details[id] || []).forEach(function (section) {
      if (!section.items.length) return;
      panel.appendChild(el("h3", null, t("sections")[section.h] || section.h));
      var ul = el("ul");
      section.items.forEach(function (item) {
        var li = el("li");
        if (item.mark) li.appendChild(el("span", "mark", item.mark));
        if (item.k) li.appendChild(el("span", "key", t("keys")[item.k] || item.k));
        var text = item.id && NAMES[item.id] ? nameOf(item.id) : (state.lang === "en" && item.en ? item.en : item.t);
        var href = item.href && safeHref(item.href);
        if (href) {
          var a = el("a", null, text);
          a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else if (item.id && (byId[item.id] || NAMES[item.id])) {
          li.appendChild(button(text, "linklike", function () { selectNode(item.id); }));
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

  // ---- selection, focus, search -----------------------------------------------------------
  function selectNode(id) {
    if (!byId[id] && !unfold(id)) return;
    var holder = network.findNode(id);
    if (holder.length > 1 && network.isCluster(holder[0])) { network.openCluster(holder[0]); delete clustered[holder[0]]; }
    state.sel = id;
    if (shownNodes && !shownNodes[id]) {
      state.focus = id;  // a filtered-out node is shown with its neighbourhood rather than not at all
      applyVisibility();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
    renderDetails(id);
    writeHash();
  }
  function showOrg(id) {
    if (state.view !== "network") showView("network");
    selectNode(id);
  }
  function focusNode(id) {
    if (!byId[id] && !unfold(id)) return;
    if (state.view !== "network") showView("network");
    state.focus = id;
    state.sel = id;
    applyVisibility();
    network.selectNodes([id]);
    fitTo(Object.keys(shownNodes));
    renderDetails(id);
    writeHash();
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      state.sel = params.nodes[0];
      renderDetails(params.nodes[0]);
      writeHash();
    }
  });
  network.on("doubleClick", function (params) { if (params.nodes.length) focusNode(params.nodes[0]); });

  var searchBox = $("search"), results = $("search-results");
  var KIND_RANK = { organisation: 0, partner: 1, municipality: 2, prefecture: 3, target: 4, activity: 5 };
  function runSearch() {
    var q = searchBox.value;
    results.textContent = "";
    if (!q.trim()) { results.hidden = true; return []; }
    var hits = searchHits(q);
    hits.sort(function (a, b) {
      return KIND_RANK[kindOf(a)] - KIND_RANK[kindOf(b)] || (NAMES[a][1] < NAMES[b][1] ? -1 : 1);
    });
    hits.slice(0, 30).forEach(function (id) {
      var li = el("li"), b = button(nameOf(id) + paren(t("kinds")[kindOf(id)]), "linklike", function () {
        results.hidden = true;
        selectNode(id);
      });
      b.dataset.node = id;
      li.appendChild(b);
      results.appendChild(li);
    });
    if (!hits.length) results.appendChild(el("li", "none", t("noResults")));
    results.hidden = false;
    return hits;
  }
  var searchTimer = null;
  searchBox.addEventListener("input", function () {
    runSearch();
    state.q = searchBox.value;
    clearTimeout(searchTimer);
    // the results list and canvas follow the search once typing pauses
    searchTimer = setTimeout(function () { applyVisibility(); }, 250);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = runSearch();
      state.q = searchBox.value;
      clearTimeout(searchTimer);
      applyVisibility();
      if (hits.length) { results.hidden = true; selectNode(hits[0]); }
    } else if (event.key === "Escape") { results.hidden = true; }
    else if (event.key === "ArrowDown") {
      var first = results.querySelector("button");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  results.addEventListener("keydown", function (event) {
    var items = Array.prototype.slice.call(results.querySelectorAll("button"));
    var i = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < items.length - 1) { event.preventDefault(); items[i + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); if (i > 0) items[i - 1].focus(); else searchBox.focus(); }
    if (event.key === "Escape") { results.hidden = true; searchBox.focus(); }
  });
  document.addEventListener("click", function (event) {
    if (!results.contains(event.target) && event.target !== searchBox) results.hidden = true;
  });

  // ---- shareable views: the state in the URL fragment ------------------------------------------
  var HASH_KEYS = ["lang", "view", "pref", "mun", "region", "target", "targetMode", "activity", "activityMode", "q",
    "focus", "steps", "sel", "showcase", "size", "color", "cat", "sharedOnly", "gpref", "cluster"];
  var restoring = false;
  function writeHash() {
    if (restoring) return;
    var params = new URLSearchParams();
    HASH_KEYS.forEach(function (k) {
      if (state[k] !== DEFAULTS[k]) params.set(k, typeof state[k] === "boolean" ? (state[k] ? "1" : "0") : String(state[k]));
    });
    var kinds = DATA.kinds.filter(function (k) { return state.kinds[k.kind] !== DEFAULTS.kinds[k.kind]; });
    if (kinds.length) params.set("kinds", DATA.kinds.filter(function (k) { return state.kinds[k.kind]; }).map(function (k) { return k.kind; }).join(","));
    var hash = params.toString();
    if (("#" + hash) !== location.hash && !(hash === "" && location.hash === "")) {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }
    $("link-box").value = location.href;
  }
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var s = defaults();
    HASH_KEYS.forEach(function (k) {
      if (!params.has(k)) return;
      var v = params.get(k);
      if (typeof DEFAULTS[k] === "boolean") s[k] = v === "1";
      else if (typeof DEFAULTS[k] === "number") s[k] = Math.min(3, Math.max(1, Number(v) || 1));
      else s[k] = v;
    });
    if (params.has("kinds")) {
      var on = {};
      params.get("kinds").split(",").forEach(function (k) { on[k] = true; });
      DATA.kinds.forEach(function (k) { s.kinds[k.kind] = !!on[k.kind]; });
    }
    if (s.lang !== "en") s.lang = "ja";
    if (["active", "based", "either"].indexOf(s.region) < 0) s.region = "active";
    if (["network", "gaps"].indexOf(s.view) < 0) s.view = "network";
    [["pref", "prefecture"], ["mun", "municipality"], ["target", "target"], ["activity", "activity"], ["gpref", "prefecture"]].forEach(function (p) {
      if (s[p[0]] && kindOf(s[p[0]]) !== p[1]) s[p[0]] = "";
    });
    if (s.focus && !NAMES[s.focus] && !byId[s.focus]) s.focus = "";
    if (s.sel && !NAMES[s.sel] && !byId[s.sel]) s.sel = "";
    return s;
  }
  function restore() {
    restoring = true;
    state = readHash();
    searchBox.value = state.q;
    setCategoryLayer(state.cat);
    if (state.focus) unfold(state.focus);
    if (state.sel) unfold(state.sel);
    applyLanguage();
    showView(state.view);
    restoring = false;
    writeHash();
    if (state.sel && byId[state.sel]) network.selectNodes([state.sel]);
    if (state.focus) fitTo(Object.keys(shownNodes));
    else if (matched) fitTo(matched.map(function (o) { return o.id; }));
    else network.fit({ animation: false });
  }
  // a link pasted into the address bar of an open page changes only the fragment
  window.addEventListener("hashchange", function () { if (location.href !== $("link-box").value) restore(); });
  $("copy-link").addEventListener("click", function () {
    writeHash();
    var box = $("link-box"), note = $("copied");
    box.hidden = false;
    box.value = location.href;
    box.focus();
    box.select();
    var done = function (ok) { note.hidden = false; note.textContent = t(ok ? "copied" : "copyManual"); };
    try {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(location.href).then(function () { done(true); }, function () { done(document.execCommand("copy")); });
      } else { done(document.execCommand("copy")); }
    } catch (e) { done(false); }
  });

  // ---- language, reset, stats ---------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(node.dataset.i18n); });
    searchBox.placeholder = t("search");
    $("lang").textContent = t("lang");
    nodes.update(DATA.nodes.map(function (n) {
      var update = { id: n.id, title: nodeTitle(n) };
      if (n.catName) update.label = n.catName();
      else if (TRANSLATED[n.kind] && n.label) update.label = state.lang === "en" && n.label_en ? n.label_en : n.name;
      if (TRANSLATED[n.kind] && n.label && state.lang === "en" && !n.label_en && NAMES[n.id] && NAMES[n.id][2]) update.label = NAMES[n.id][2];
      return update;
    }));
    edges.update(DATA.edges.map(function (e) { return { id: e.id, title: edgeTitle(e) }; }));
    buildLegend(); buildFilters(); renderDetails(state.sel);
    var notice = $("notice");
    if (DATA.aggregation) {
      var a = DATA.aggregation;
      notice.textContent = fmt(t("aggregated"), { full_nodes: a.full_nodes, full_edges: a.full_edges,
        shown_nodes: a.shown_nodes, shown_edges: a.shown_edges,
        steps: a.steps.map(function (s) { return t("steps")[s]; }).join(t("stepsJoin")) });
      notice.hidden = false;
    }
    applyVisibility();
    if (state.view === "gaps") renderGaps();
  }
  function updateStats() {
    var shown = shownNodes ? Object.keys(shownNodes).filter(function (id) { return kindOf(id) !== "category"; }).length : DATA.nodes.length;
    var total = DATA.nodes.filter(function (n) { return n.kind !== "category"; }).length;
    var text = fmt(t("stats"), { nodes: DATA.counts.nodes, edges: DATA.counts.edges, shared: sharedShown });
    if (shown !== total) text += fmt(t("shownSuffix"), { n: shown });
    $("stats").textContent = text;
  }
  $("lang").addEventListener("click", function () { state.lang = state.lang === "ja" ? "en" : "ja"; applyLanguage(); });
  function reset() {
    state = defaults();
    searchBox.value = ""; results.hidden = true;
    setCategoryLayer(false);
    network.unselectAll();
    applyLanguage();
    showView("network");
    network.fit({ animation: false });
  }
  $("reset").addEventListener("click", reset);
  $("focus-exit").addEventListener("click", function () { state.focus = ""; applyVisibility(); network.fit({ animation: false }); });

  // ---- start ----------------------------------------------------------------------------------
  var api = { network: network, nodes: nodes, edges: edges, visibleNodeIds: visibleNodeIds,
    state: function () { return state; }, matched: function () { return matched ? matched.map(function (o) { return o.id; }) : null; },
    csv: resultsCsv, ready: false, settleMs: null };
  window.tsunagari = api;
  network.once("afterDrawing", function () {
    api.settleMs = performance.now() - started;
    api.ready = true;
  });
  restore();
})();
