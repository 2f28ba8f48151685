// The query page of `tsunagari serve`: everything comes from this server (CSP: 'self').
// Results are written with textContent only: literals from the casebooks are never HTML.
"use strict";

const $ = (id) => document.getElementById(id);
let catalogue = { prefixes: {}, queries: [] };
let lastResults = null;

function prologue() {
  return Object.entries(catalogue.prefixes)
    .map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join("\n");
}

function ownQueryText() {
  return prologue() + "\n\nSELECT ?organisation ?label WHERE {\n" +
    "  ?organisation a ts:Organisation ; rdfs:label ?label .\n} LIMIT 20\n";
}

// The same substitution as graph.sparql.query.bind_params: a parameter is the content of
// `VALUES ?NAME { … }`; an http(s) IRI stays an IRI, anything else becomes a string literal
// with the language tag of the clause's default.
function sparqlTerm(value) {
  const text = value.startsWith("<") && value.endsWith(">") ? value.slice(1, -1) : value;
  if (/^https?:\/\/\S+$/.test(text) && !/[<>"{}|\\^`]/.test(text)) return `<${text}>`;
  return JSON.stringify(text);
}

function bindParams(text, values) {
  for (const [name, value] of Object.entries(values)) {
    if (value === "") continue;
    const clause = new RegExp(`(VALUES\\s+\\?${name}\\s*\\{)([^}]*)(\\})`, "g");
    text = text.replace(clause, (all, open, inner, close) => {
      let term = sparqlTerm(value);
      const tag = /^\s*"(?:[^"\\]|\\.)*"(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)\s*$/.exec(inner);
      if (tag && term.startsWith('"')) term += tag[1];
      return `${open} ${term} ${close}`;
    });
  }
  return text;
}

function selected() {
  return catalogue.queries.find((q) => q.name === $("bundled").value) || null;
}

function paramValues() {
  const values = {};
  for (const input of $("params").querySelectorAll("input")) values[input.name] = input.value;
  return values;
}

function showQuery(values) {
  const query = selected();
  $("description").textContent = query ? query.description : "";
  const form = $("params");
  form.replaceChildren();
  if (!query) return;
  for (const [name, help] of Object.entries(query.params)) {
    const label = document.createElement("label");
    label.htmlFor = "param-" + name;
    label.textContent = name;
    const input = document.createElement("input");
    input.id = "param-" + name;
    input.name = name;
    input.value = (values && values[name]) || "";
    input.placeholder = "default";
    input.addEventListener("input", () => {
      $("query").value = bindParams(query.text, paramValues());
    });
    const note = document.createElement("div");
    note.className = "help";
    note.textContent = help;
    form.append(label, input, note);
  }
  $("query").value = bindParams(query.text, paramValues());
}

function cellText(cell) {
  return cell ? cell.value : "";
}

// As graph.sparql.query.sort_sets: a GROUP_CONCAT column (`# @set NAME "SEP"`) has its items
// sorted by code point, so a shared result reads the same on every run.
function byCodePoint(a, b) {
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function sortSets(results, query) {
  if (!query || !query.sets || !results.results) return results;
  for (const binding of results.results.bindings) {
    for (const [column, separator] of Object.entries(query.sets)) {
      const cell = binding[column];
      if (cell && cell.type !== "uri") {
        cell.value = cell.value.split(separator).sort(byCodePoint).join(separator);
      }
    }
  }
  return results;
}

function renderTable(results) {
  const head = $("results").tHead;
  const body = $("results").tBodies[0];
  head.replaceChildren();
  body.replaceChildren();
  if ("boolean" in results) {
    const row = body.insertRow();
    row.insertCell().textContent = String(results.boolean);
    return 1;
  }
  const vars = results.head.vars;
  const tr = head.insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    tr.append(th);
  }
  for (const binding of results.results.bindings) {
    const row = body.insertRow();
    for (const v of vars) {
      const td = row.insertCell();
      td.textContent = cellText(binding[v]);
      if (binding[v] && binding[v].type === "uri") td.className = "uri";
    }
  }
  return results.results.bindings.length;
}

function toCsv(results) {
  const quote = (s) => (/[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
  if ("boolean" in results) return "boolean\r\n" + results.boolean + "\r\n";
  const vars = results.head.vars;
  const lines = [vars.map(quote).join(",")];
  for (const b of results.results.bindings) lines.push(vars.map((v) => quote(cellText(b[v]))).join(","));
  return lines.join("\r\n") + "\r\n";
}

function download(name, type, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function shareUrl() {
  const query = selected();
  const params = new URLSearchParams();
  if (query) {
    params.set("name", query.name);
    for (const [k, v] of Object.entries(paramValues())) if (v !== "") params.set("param." + k, v);
  } else {
    params.set("query", $("query").value);
  }
  return "?" + params.toString();
}

async function run() {
  const status = $("status");
  status.className = "";
  status.textContent = "running…";
  $("csv").disabled = $("json").disabled = true;
  history.replaceState(null, "", shareUrl());
  const started = performance.now();
  let response;
  try {
    response = await fetch("query", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json" },
      body: new URLSearchParams({ query: $("query").value }),
    });
  } catch (err) {
    status.className = "error";
    status.textContent = "the server did not answer: " + err;
    return;
  }
  const text = await response.text();
  if (!response.ok) {
    status.className = "error";
    status.textContent = `HTTP ${response.status}: ${text.trim()}`;
    return;
  }
  let results;
  try {
    results = JSON.parse(text);
  } catch (err) {
    status.className = "error";
    status.textContent = "not SPARQL JSON results (CONSTRUCT/DESCRIBE: use /query directly)";
    return;
  }
  const query = selected();
  // Only when the editor still holds the bundled query (parameters aside) are its sets known.
  if (query && $("query").value === bindParams(query.text, paramValues())) sortSets(results, query);
  lastResults = { results, text: JSON.stringify(results, null, 2) };
  const rows = renderTable(results);
  const ms = Math.round(performance.now() - started);
  status.textContent = `${rows} row${rows === 1 ? "" : "s"} in ${ms} ms`;
  $("csv").disabled = $("json").disabled = false;
}

async function init() {
  const response = await fetch("queries.json");
  catalogue = await response.json();
  const select = $("bundled");
  for (const q of catalogue.queries) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = `${q.name} — ${q.title}`;
    select.append(option);
  }
  select.addEventListener("change", () => {
    if (!selected()) $("query").value = ownQueryText();
    showQuery({});
  });
  $("run").addEventListener("click", run);
  $("csv").addEventListener("click", () => download("results.csv", "text/csv", toCsv(lastResults.results)));
  $("json").addEventListener("click", () =>
    download("results.json", "application/sparql-results+json", lastResults.text));
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  // A shared link: ?name=NAME&param.X=V (a bundled query) or ?query=TEXT; it runs at once.
  const url = new URLSearchParams(location.search);
  const values = {};
  for (const [k, v] of url) if (k.startsWith("param.")) values[k.slice(6)] = v;
  if (url.has("name") && catalogue.queries.some((q) => q.name === url.get("name"))) {
    select.value = url.get("name");
    showQuery(values);
    run();
  } else if (url.has("query")) {
    $("query").value = url.get("query");
    run();
  } else {
    $("query").value = ownQueryText();
  }
}

document.addEventListener("DOMContentLoaded", init);
