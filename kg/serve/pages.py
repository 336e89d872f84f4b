"""The pages ``kg serve`` shows: an index, the offline query page, and their CSP.

Both pages are self-contained (no CDN, no external font) and run under a
Content-Security-Policy that lets only their own inline script and style
run (by hash) and connect only to the server itself.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping

__all__ = ["API_CSP", "GRAPH_CSP", "PAGE_CSP", "index_page", "query_page"]

#: CSP of every non-HTML answer: nothing may load or run.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
#: CSP of ``graph.html``: its inline scripts and styles, data: images, no
#: other origin.
GRAPH_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; }
textarea { width: 100%; height: 12em; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; margin-top: 1em; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left;
         vertical-align: top; }
#status { color: #555; margin-left: 1em; }
pre { color: #a00; white-space: pre-wrap; }
.answer { font-size: 1.4em; font-weight: bold; }
"""

_SCRIPT = r"""
const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";
const PREFIXES = JSON.parse(document.getElementById("prefixes").textContent);
const shorten = (v) => {
  for (const [p, ns] of Object.entries(PREFIXES)) {
    if (v.startsWith(ns)) return p + ":" + v.slice(ns.length);
  }
  return v;
};
const TERM = String.raw`<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?`;
const TRIPLE = new RegExp(`^\\s*(${TERM})\\s+(${TERM})\\s+(${TERM})\\s*\\.\\s*$`);
const unescape = (s) => JSON.parse(s.replace(/\\U([0-9A-Fa-f]{8})/g,
  (m, h) => JSON.stringify(String.fromCodePoint(parseInt(h, 16))).slice(1, -1)));
const showTerm = (t) => {
  if (t.startsWith("<")) return shorten(t.slice(1, -1));
  if (t.startsWith("_:")) return t;
  const end = t.lastIndexOf('"');
  const value = unescape(t.slice(0, end + 1)), rest = t.slice(end + 1);
  if (rest.startsWith("^^<")) return value + " ^^" + shorten(rest.slice(3, -1));
  return value + rest;
};
const table = (vars, rows) => {
  const t = document.createElement("table"), head = t.insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  for (const row of rows) {
    const tr = t.insertRow();
    for (const cell of row) tr.insertCell().textContent = cell;
  }
  return t;
};
async function run() {
  const status = document.getElementById("status");
  const out = document.getElementById("out");
  status.textContent = "running…";
  out.replaceChildren();
  const started = performance.now();
  try {
    const resp = await fetch("/sparql", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": ACCEPT},
      body: document.getElementById("q").value,
    });
    const text = await resp.text();
    const ms = Math.round(performance.now() - started) + " ms";
    const type = (resp.headers.get("Content-Type") || "").split(";")[0].trim();
    if (!resp.ok) {
      status.textContent = "HTTP " + resp.status;
      const pre = document.createElement("pre");
      pre.textContent = text;
      out.appendChild(pre);
      return;
    }
    if (type === "application/n-triples") {
      const rows = [];
      for (const line of text.split("\n")) {
        const m = line.match(TRIPLE);
        if (m) rows.push([showTerm(m[1]), showTerm(m[2]), showTerm(m[3])]);
      }
      status.textContent = rows.length + " triples · " + ms;
      out.appendChild(table(["subject", "predicate", "object"], rows));
      return;
    }
    const data = JSON.parse(text);
    if ("boolean" in data) {
      status.textContent = ms;
      const p = document.createElement("p");
      p.className = "answer";
      p.textContent = data.boolean ? "yes" : "no";
      out.appendChild(p);
      return;
    }
    const vars = data.head.vars, bindings = data.results.bindings;
    status.textContent = bindings.length + " rows · " + ms;
    const cell = (t) => t ? (t.type === "uri" ? shorten(t.value) : t.value) : "";
    out.appendChild(table(vars, bindings.map((b) => vars.map((v) => cell(b[v])))));
  } catch (err) {
    status.textContent = "failed";
    const pre = document.createElement("pre");
    pre.textContent = String(err);
    out.appendChild(pre);
  }
}
document.getElementById("run").addEventListener("click", run);
document.getElementById("q").addEventListener("keydown",
  (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); });
"""

_EXAMPLE = (
    "SELECT ?s ?p ?o ?sentence WHERE {\n"
    "  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;\n"
    "      prov:wasDerivedFrom/rdf:value ?sentence .\n"
    "} LIMIT 50"
)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


#: CSP of the index and query pages: only their own script and style run.
PAGE_CSP = (
    f"default-src 'none'; script-src {_hash(_SCRIPT)}; style-src {_hash(_STYLE)}; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)


def query_page(prefixes: Mapping[str, str]) -> bytes:
    """Return the offline query page (SELECT, ASK, CONSTRUCT and DESCRIBE results).

    Examples
    --------
    >>> b"<textarea" in query_page({"ex": "http://example.org/"})
    True
    """
    data = json.dumps(dict(prefixes)).replace("<", "\\u003c")
    names = html.escape(", ".join(prefixes))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg · SPARQL</title>
<style>{_STYLE}</style></head>
<body>
<h1>kg · SPARQL</h1>
<p>Prefixes predeclared: <code>{names}</code>. <a href="/graph">Graph page</a></p>
<textarea id="q" spellcheck="false">{html.escape(_EXAMPLE)}</textarea>
<div><button id="run">Run</button><span id="status"></span></div>
<div id="out"></div>
<script id="prefixes" type="application/json">{data}</script>
<script>{_SCRIPT}</script>
</body></html>""".encode()


def index_page() -> bytes:
    """Return the index page: links to the graph and query pages.

    Examples
    --------
    >>> b'href="/query"' in index_page()
    True
    """
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>kg</title><style>{_STYLE}</style></head>
<body><h1>kg</h1><ul>
<li><a href="/graph">Graph page</a></li>
<li><a href="/query">Query page</a></li>
<li>SPARQL 1.1 Protocol endpoint: <code>/sparql</code> (read-only)</li>
</ul></body></html>""".encode()
