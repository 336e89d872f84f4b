// The kg graph page. Python (kg/render) wrote the data: positions, sizes,
// communities, label ranks, colours. This script filters and draws:
// vis-network draws the entities and handles zoom, pan, drag and selection;
// this script draws the relations (batched canvas paths), the group
// outlines and the labels (most important first, never overlapping).
// Every piece of data reaches the DOM through textContent, never innerHTML.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var NODES = DATA.nodes, EDGES = DATA.edges, DOCS = DATA.documents, TERMS = DATA.terms || [];
  var GLYPHS = { dot: "\u25CF", square: "\u25A0", triangle: "\u25B2", diamond: "\u25C6",
                 triangleDown: "\u25BC", star: "\u2605", hexagon: "\u2B22" };
  var HULL_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#edc948",
                      "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac"];
  var FOCUS = "#1f4e79";
  var LABEL_FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
  var MAX_LABELS = 500, MAX_TRIES = 2500, MAX_HULLS = 80;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function fmt(c) { return c === null || c === undefined ? "\u2014" : Number(c).toFixed(2); }
  function docName(i) {
    var d = DOCS[i];
    if (d === undefined) return "unknown document";
    var parts = String(d).split(/[\\/]/);
    return parts[parts.length - 1] || d;
  }

  // --- the data, indexed --------------------------------------------------------------
  var STYLE = {};
  DATA.classes.forEach(function (c) { STYLE[c.cls] = c; });
  var byId = new Map();
  NODES.forEach(function (n, i) {
    n.i = i; n.docSet = new Set(n.docs); byId.set(n.id, n);
    n.color = (STYLE[n.cls] || { color: "#bab0ac" }).color;
    n.shape = (STYLE[n.cls] || { shape: "dot" }).shape;
  });
  var adj = NODES.map(function () { return []; });
  var lanes = new Map();
  EDGES.forEach(function (e, k) {
    e.k = k; e.a = byId.get(e.from); e.b = byId.get(e.to);
    e.docSet = new Set(e.docs);
    adj[e.a.i].push(k);
    if (e.b !== e.a) adj[e.b.i].push(k);
    e.kind = e.loose ? "loose" : (e.modality !== "asserted" ? "modal" : (e.guess ? "guess" : "stated"));
    var key = Math.min(e.a.i, e.b.i) + "," + Math.max(e.a.i, e.b.i);
    e.lane = lanes.get(key) || 0;
    lanes.set(key, e.lane + 1);
    e.pair = key;
  });
  EDGES.forEach(function (e) {
    var count = lanes.get(e.pair);
    e.bend = count > 1 ? e.lane - (count - 1) / 2 : 0;
  });
  function edgeText(e) {
    if (e.kind === "guess") return e.label + "?";
    if (e.kind === "modal") return e.label + " (" + e.modality + ")";
    return e.label;
  }

  // --- state and visibility -----------------------------------------------------------
  var hoveredNode = null;
  var state = {
    hidden: new Set(), minConf: DATA.minConfidence || 0, loose: false, modal: false,
    unlinked: false, doc: -1, group: -1, hulls: true,
    forcedNodes: new Set(), forcedEdges: new Set(),
    focus: null, path: null, pinned: null, hoverEdge: -1, pathFrom: null
  };
  var visN = new Uint8Array(NODES.length), visE = new Uint8Array(EDGES.length);
  var visVersion = 0, posVersion = 0;
  function kindShown(e) {
    if (e.loose && !state.loose) return false;
    if (e.modality !== "asserted" && !state.modal) return false;
    return e.conf === null || e.conf >= state.minConf - 1e-9;
  }
  function edgePasses(e) { return kindShown(e) && (state.doc < 0 || e.docSet.has(state.doc)); }
  function nodePasses(n) {
    if (state.hidden.has(n.cls)) return false;
    if (state.doc >= 0 && !n.docSet.has(state.doc)) return false;
    return !(state.group >= 0 && n.group !== state.group);
  }
  function computeVisibility() {
    var ok = new Uint8Array(NODES.length), linked = new Uint8Array(NODES.length);
    NODES.forEach(function (n, i) { ok[i] = nodePasses(n) || state.forcedNodes.has(i) ? 1 : 0; });
    EDGES.forEach(function (e, k) {
      var v = state.forcedEdges.has(k) || (edgePasses(e) && ok[e.a.i] && ok[e.b.i]);
      visE[k] = v ? 1 : 0;
      if (v) { linked[e.a.i] = 1; linked[e.b.i] = 1; }
    });
    NODES.forEach(function (n, i) {
      visN[i] = state.forcedNodes.has(i) || (nodePasses(n) && (state.unlinked || linked[i])) ? 1 : 0;
    });
    visVersion += 1;
  }

  // --- vis-network: the entities --------------------------------------------------------
  // vis-network keeps the entities for hit-testing, dragging and selection; the
  // script draws them (a few batched paths, not one path per entity)
  var shownNow = new Uint8Array(NODES.length);
  function visNode(n, hidden) {
    return { id: n.id, x: n.x, y: n.y, size: n.size, hidden: hidden, shape: "dot", borderWidth: 0 };
  }
  computeVisibility();
  var nodes = new vis.DataSet(NODES.map(function (n) { shownNow[n.i] = visN[n.i]; return visNode(n, !visN[n.i]); }));
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: [] }, {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: { font: { size: 0 } },
    interaction: { hover: true, tooltipDelay: 3600000, navigationButtons: false, keyboard: false,
                   multiselect: false, selectConnectedEdges: false, hideEdgesOnDrag: false }
  });
  var bodyNodes = network.body.nodes;
  // vis-network still finds the entity under the pointer, selects and drags
  // it, but no longer draws it: its per-entity drawing (a save, a restore and
  // a style object each) is most of a frame at 5,000 entities. Only the hit
  // boxes are kept up to date: all once, then those of the entities dragged.
  var boxesDirty = true, dragged = [];
  function hitBox(id, ctx) {
    var b = bodyNodes[id], n = byId.get(id);
    if (!b || !n) return;
    b.updateBoundingBox(ctx, false);
    // what vis-network's hit test reads (it sets these while drawing)
    var shape = b.shape;
    shape.width = shape.height = 2 * n.size;
    shape.left = b.x - n.size; shape.top = b.y - n.size;
  }
  function refreshBoxes(ctx) {
    if (boxesDirty) {
      boxesDirty = false;
      Object.keys(bodyNodes).forEach(function (id) { hitBox(id, ctx); });
    }
    dragged.forEach(function (id) { hitBox(id, ctx); });
    dragged = [];
  }
  var renderer = network.renderer;
  if (renderer && typeof renderer._drawNodes === "function") {
    renderer._drawNodes = function (ctx) { refreshBoxes(ctx); return { drawExternalLabels: null }; };
  } else {
    nodes.update(NODES.map(function (n) { return { id: n.id, color: { background: "rgba(0,0,0,0)", border: "rgba(0,0,0,0)" } }; }));
  }
  network.on("dragging", function (p) { if (p.nodes && p.nodes.length) { dragged = p.nodes.slice(); posVersion += 1; } });
  var direct = typeof network._updateVisibleIndices === "function";
  function applyVisibility() {
    computeVisibility();
    var changes = [];
    for (var i = 0; i < NODES.length; i++) {
      if (shownNow[i] !== visN[i]) {
        shownNow[i] = visN[i];
        var b = bodyNodes[NODES[i].id];
        if (direct && b) b.options.hidden = !visN[i];
        else changes.push({ id: NODES[i].id, hidden: !visN[i] });
      }
    }
    // vis-network 9 skips hidden nodes listed in nodeIndices: refreshing that
    // list is all a change of visibility needs (a DataSet update re-reads
    // every node's options, 100+ ms at 5,000 entities)
    if (direct) network._updateVisibleIndices();
    if (changes.length) nodes.update(changes);
    updateCounts();
    network.redraw();
  }

  // --- geometry -------------------------------------------------------------------------
  function pos(n) { return n.vb || (n.vb = bodyNodes[n.id]) || n; }
  function scale() { return network.getScale(); }
  function curve(e, s) {
    var p = pos(e.a), q = pos(e.b);
    var lo = e.a.i <= e.b.i ? p : q, hi = e.a.i <= e.b.i ? q : p;
    var dx = hi.x - lo.x, dy = hi.y - lo.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
    var off = e.bend * 16 / s;
    return { x0: p.x, y0: p.y, x1: q.x, y1: q.y,
             cx: (p.x + q.x) / 2 - dy / len * off, cy: (p.y + q.y) / 2 + dx / len * off, len: len };
  }
  function loopGeometry(e, s) { var p = pos(e.a); var r = (e.a.size + 10 / s); return { x: p.x + r, y: p.y - r, r: r * 0.8 }; }
  function distToEdge(e, x, y, s) {
    if (e.a === e.b) { var g = loopGeometry(e, s); return Math.abs(Math.hypot(x - g.x, y - g.y) - g.r); }
    var c = curve(e, s), best = Infinity, px = c.x0, py = c.y0;
    for (var t = 1; t <= 8; t++) {
      var u = t / 8, v = 1 - u;
      var qx = v * v * c.x0 + 2 * v * u * c.cx + u * u * c.x1, qy = v * v * c.y0 + 2 * v * u * c.cy + u * u * c.y1;
      var ax = qx - px, ay = qy - py, l2 = ax * ax + ay * ay || 1;
      var w = Math.max(0, Math.min(1, ((x - px) * ax + (y - py) * ay) / l2));
      best = Math.min(best, Math.hypot(x - (px + w * ax), y - (py + w * ay)));
      px = qx; py = qy;
    }
    return best;
  }
  function edgeAt(x, y) {
    var s = scale(), limit = 6 / s, best = -1, bestD = limit;
    for (var k = 0; k < EDGES.length; k++) {
      if (!visE[k]) continue;
      var d = distToEdge(EDGES[k], x, y, s);
      if (d < bestD) { bestD = d; best = k; }
    }
    return best;
  }

  // --- drawing: group outlines and relations (under the entities) -------------------------
  var STROKE = {
    stated: { color: "#7d8a97", dash: [] },
    guess: { color: "#9aa5b1", dash: [6, 4] },
    modal: { color: "#9467bd", dash: [7, 3, 2, 3] },
    loose: { color: "#aab2ba", dash: [1.5, 3] }
  };
  var hullCache = { key: "", hulls: [] };
  function convexHull(points) {
    points.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    function cross(o, a, b) { return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]); }
    var lower = [], upper = [];
    points.forEach(function (p) {
      while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
      lower.push(p);
    });
    for (var i = points.length - 1; i >= 0; i--) {
      var p = points[i];
      while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
      upper.push(p);
    }
    upper.pop(); lower.pop();
    return lower.concat(upper);
  }
  function hulls() {
    var key = visVersion + ":" + posVersion;
    if (hullCache.key === key) return hullCache.hulls;
    var members = new Map();
    NODES.forEach(function (n, i) {
      if (!visN[i]) return;
      var list = members.get(n.group);
      if (!list) { list = []; members.set(n.group, list); }
      var p = pos(n);
      list.push([p.x, p.y]);
    });
    var out = [];
    // the biggest groups in view get an outline (at most MAX_HULLS)
    DATA.groups.forEach(function (g) {
      var pts = members.get(g.id);
      if (pts && pts.length >= 3 && out.length < MAX_HULLS) out.push({ id: g.id, hull: convexHull(pts.slice()) });
    });
    hullCache = { key: key, hulls: out };
    return out;
  }
  function strokeEdges(ctx, list, s, colour, width, dash) {
    if (!list.length) return;
    ctx.beginPath();
    list.forEach(function (e) {
      if (e.a === e.b) {
        var g = loopGeometry(e, s);
        ctx.moveTo(g.x + g.r, g.y);
        ctx.arc(g.x, g.y, g.r, 0, 2 * Math.PI);
        return;
      }
      var c = curve(e, s);
      ctx.moveTo(c.x0, c.y0);
      if (e.bend) ctx.quadraticCurveTo(c.cx, c.cy, c.x1, c.y1); else ctx.lineTo(c.x1, c.y1);
    });
    ctx.strokeStyle = colour;
    ctx.lineWidth = width / s;
    ctx.setLineDash(dash.map(function (d) { return d / s; }));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  function arrowHeads(ctx, list, s, colour) {
    if (!list.length) return;
    ctx.beginPath();
    list.forEach(function (e) {
      if (e.a === e.b) return;
      var c = curve(e, s);
      var fx = e.bend ? c.cx : c.x0, fy = e.bend ? c.cy : c.y0;
      var dx = c.x1 - fx, dy = c.y1 - fy, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len, back = e.b.size + 2 / s, size = 8 / s;
      var tx = c.x1 - ux * back, ty = c.y1 - uy * back;
      ctx.moveTo(tx, ty);
      ctx.lineTo(tx - ux * size - uy * size * 0.45, ty - uy * size + ux * size * 0.45);
      ctx.lineTo(tx - ux * size + uy * size * 0.45, ty - uy * size - ux * size * 0.45);
      ctx.closePath();
    });
    ctx.fillStyle = colour;
    ctx.fill();
  }
  // the part of the plane in view, in layout coordinates (with a margin)
  function viewBox(margin) {
    var s = scale(), c = network.getViewPosition();
    var hw = container.clientWidth / 2 / s + margin, hh = container.clientHeight / 2 / s + margin;
    return { x0: c.x - hw, x1: c.x + hw, y0: c.y - hh, y1: c.y + hh };
  }
  function edgeInView(e, vb) {
    var p = pos(e.a), q = pos(e.b);
    return !((p.x < vb.x0 && q.x < vb.x0) || (p.x > vb.x1 && q.x > vb.x1) ||
             (p.y < vb.y0 && q.y < vb.y0) || (p.y > vb.y1 && q.y > vb.y1));
  }
  function drawEdges(ctx, keys, highlighted) {
    var s = scale(), vb = viewBox(40 / s), byKind = { stated: [], guess: [], modal: [], loose: [] };
    for (var j = 0; j < keys.length; j++) {
      var e = EDGES[keys[j]];
      if (highlighted || edgeInView(e, vb)) byKind[e.kind].push(e);
    }
    var arrows = s * 8 >= 4 || highlighted;
    // dash patterns cost much and show little when zoomed far out: there the
    // kinds differ by colour only
    var dashes = s >= 0.3 || highlighted;
    Object.keys(byKind).forEach(function (kind) {
      var st = STROKE[kind], colour = highlighted ? FOCUS : st.color;
      strokeEdges(ctx, byKind[kind], s, colour, highlighted ? 2.4 : (kind === "stated" ? 1.3 : 1.1), dashes ? st.dash : []);
      if (arrows) arrowHeads(ctx, byKind[kind], s, colour);
    });
  }
  // the entities, one path per class
  function nodeRadius(n, s) { return Math.max(n.size, 1.6 / s); }
  function drawNodes(ctx, indexes, s) {
    var byClass = new Map(), vb = viewBox(30 / s);
    indexes.forEach(function (i) {
      var n = NODES[i], p = pos(n);
      if (p.x < vb.x0 || p.x > vb.x1 || p.y < vb.y0 || p.y > vb.y1) return;
      var list = byClass.get(n.cls);
      if (!list) { list = []; byClass.set(n.cls, list); }
      list.push(n);
    });
    ctx.lineWidth = Math.min(1.5 / s, 2);
    ctx.strokeStyle = "#ffffff";
    byClass.forEach(function (list) {
      ctx.beginPath();
      list.forEach(function (n) {
        var p = pos(n), r = nodeRadius(n, s);
        if (r * s < 2.5) ctx.rect(p.x - r, p.y - r, 2 * r, 2 * r);
        else shapePath(ctx, n.shape, p.x, p.y, r);
      });
      ctx.fillStyle = list[0].color;
      ctx.fill();
      if (s * list[0].size >= 3) ctx.stroke();
    });
  }
  var shownList = { version: -1, list: [] };
  function shownIndexes() {
    if (shownList.version !== visVersion) {
      var list = [];
      for (var i = 0; i < NODES.length; i++) if (visN[i]) list.push(i);
      shownList = { version: visVersion, list: list };
    }
    return shownList.list;
  }
  var shownEdges = { version: -1, list: [] };
  function shownEdgeKeys() {
    if (shownEdges.version !== visVersion) {
      var list = [];
      for (var k = 0; k < EDGES.length; k++) if (visE[k]) list.push(k);
      shownEdges = { version: visVersion, list: list };
    }
    return shownEdges.list;
  }
  network.on("beforeDrawing", function (ctx) {
    if (state.hulls) {
      var s = scale(), pad = 18 / s;
      hulls().forEach(function (h) {
        var colour = HULL_COLOURS[h.id % HULL_COLOURS.length], cx = 0, cy = 0;
        h.hull.forEach(function (p) { cx += p[0]; cy += p[1]; });
        cx /= h.hull.length; cy /= h.hull.length;
        ctx.beginPath();
        h.hull.forEach(function (p, i) {
          var dx = p[0] - cx, dy = p[1] - cy, d = Math.sqrt(dx * dx + dy * dy) || 1;
          var x = p[0] + dx / d * pad, y = p[1] + dy / d * pad;
          if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        });
        ctx.closePath();
        ctx.globalAlpha = 0.09; ctx.fillStyle = colour; ctx.fill();
        ctx.globalAlpha = 1;
      });
    }
    drawEdges(ctx, shownEdgeKeys(), false);
  });

  // --- drawing: focus, labels (over the entities) ------------------------------------------
  function shapePath(ctx, shape, x, y, r) {
    if (shape === "square") { ctx.moveTo(x - r, y - r); ctx.rect(x - r, y - r, 2 * r, 2 * r); }
    else if (shape === "diamond") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); }
    else if (shape === "triangle") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r * 0.8); ctx.lineTo(x - r, y + r * 0.8); ctx.closePath(); }
    else if (shape === "triangleDown") { ctx.moveTo(x, y + r); ctx.lineTo(x + r, y - r * 0.8); ctx.lineTo(x - r, y - r * 0.8); ctx.closePath(); }
    else if (shape === "star") {
      for (var k = 0; k < 10; k++) {
        var rr = k % 2 ? r * 0.45 : r, t = -Math.PI / 2 + k * Math.PI / 5;
        if (k) ctx.lineTo(x + rr * Math.cos(t), y + rr * Math.sin(t)); else ctx.moveTo(x + rr * Math.cos(t), y + rr * Math.sin(t));
      }
      ctx.closePath();
    } else if (shape === "hexagon") {
      for (var h = 0; h < 6; h++) {
        var a = Math.PI / 3 * h;
        if (h) ctx.lineTo(x + r * Math.cos(a), y + r * Math.sin(a)); else ctx.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
      }
      ctx.closePath();
    } else { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI); }
  }
  function focusSets() {
    if (state.path) return { nodes: state.path.nodes, edges: state.path.edges };
    if (state.focus === null) return null;
    var ns = new Set([state.focus]), es = new Set();
    adj[state.focus].forEach(function (k) {
      if (!visE[k]) return;
      es.add(k); ns.add(EDGES[k].a.i); ns.add(EDGES[k].b.i);
    });
    return { nodes: ns, edges: es };
  }
  // --- labels: most important first, each where it overlaps nothing --------------------
  // Room is kept on a bitmap of 4-pixel cells (bit 1: a label, bit 2: an
  // entity's mark), so a frame places hundreds of labels in a few ms.
  var CELL = 4, occ = new Uint8Array(0), occW = 0, occH = 0;
  function occReset(w, h) {
    occW = Math.ceil(w / CELL) + 1; occH = Math.ceil(h / CELL) + 1;
    if (occ.length < occW * occH) occ = new Uint8Array(occW * occH); else occ.fill(0, 0, occW * occH);
  }
  function occSpan(x, y, bw, bh, bit, test) {
    var x0 = Math.max(0, Math.floor(x / CELL)), x1 = Math.min(occW - 1, Math.floor((x + bw) / CELL));
    var y0 = Math.max(0, Math.floor(y / CELL)), y1 = Math.min(occH - 1, Math.floor((y + bh) / CELL));
    for (var gy = y0; gy <= y1; gy++) {
      var row = gy * occW;
      for (var gx = x0; gx <= x1; gx++) {
        if (test) { if (occ[row + gx] & bit) return true; } else occ[row + gx] |= bit;
      }
    }
    return false;
  }
  var widthCache = new Map();
  function textWidth(ctx, text, font) {
    var key = font + "|" + text, w = widthCache.get(key);
    if (w === undefined) { ctx.font = font; w = ctx.measureText(text).width; widthCache.set(key, w); }
    return w;
  }
  var FONT_TOP = "600 14px " + LABEL_FONT, FONT = "12px " + LABEL_FONT, FONT_EDGE = "11px " + LABEL_FONT;
  function nameWidth(ctx, n, top) {
    if (top) { if (n.wTop === undefined) n.wTop = textWidth(ctx, n.short, FONT_TOP); return n.wTop; }
    if (n.w12 === undefined) n.w12 = textWidth(ctx, n.short, FONT);
    return n.w12;
  }
  NODES.forEach(function (n) { n.short = n.name.length > 32 ? n.name.slice(0, 30) + "\u2026" : n.name; });
  var order = NODES.slice().sort(function (a, b) { return a.rank - b.rank; });
  var sx = new Float64Array(NODES.length), sy = new Float64Array(NODES.length), inView = new Uint8Array(NODES.length);
  var lastLabels = [];
  function drawLabels(ctx, focus) {
    var s = scale(), view = network.getViewPosition();
    var w = container.clientWidth, h = container.clientHeight, hw = w / 2, hh = h / 2;
    var placed = [];
    occReset(w, h);
    // where each shown entity is on screen; its mark is an obstacle
    for (var v = 0; v < NODES.length; v++) {
      inView[v] = 0;
      if (!visN[v]) continue;
      var pv = pos(NODES[v]);
      var x = (pv.x - view.x) * s + hw, y = (pv.y - view.y) * s + hh;
      if (x < -50 || x > w + 50 || y < -50 || y > h + 50) continue;
      sx[v] = x; sy[v] = y; inView[v] = 1;
      var r = Math.max(NODES[v].size * s, 2) * 0.8;
      occSpan(x - r, y - r, 2 * r, 2 * r, 2, false);
    }
    function keep(x, y, bw, bh, text, size, font, colour, kind, id) {
      occSpan(x, y, bw, bh, 1, false);
      placed.push({ id: id, kind: kind, text: text, x: x, y: y, w: bw, h: bh, size: size, font: font, colour: colour });
    }
    // a label stays in view, off other labels and (unless it is one of the
    // most important) off other entities' marks
    function fits(x, y, bw, bh, mask) {
      return x >= 0 && y >= 0 && x + bw <= w && y + bh <= h && !occSpan(x, y, bw, bh, mask, true);
    }
    function placeNode(n, top, colour) {
      var size = top ? 14 : 12, font = top ? FONT_TOP : FONT;
      var bw = nameWidth(ctx, n, top) + 4, bh = size + 4, r = Math.max(n.size * s, 2);
      var x = sx[n.i], y = sy[n.i], mask = top ? 1 : 3;
      if (fits(x - bw / 2, y + r + 2, bw, bh, mask)) { keep(x - bw / 2, y + r + 2, bw, bh, n.short, size, font, colour, "node", n.id); return true; }
      if (fits(x - bw / 2, y - r - 2 - bh, bw, bh, mask)) { keep(x - bw / 2, y - r - 2 - bh, bw, bh, n.short, size, font, colour, "node", n.id); return true; }
      if (fits(x + r + 3, y - bh / 2, bw, bh, mask)) { keep(x + r + 3, y - bh / 2, bw, bh, n.short, size, font, colour, "node", n.id); return true; }
      if (fits(x - r - 3 - bw, y - bh / 2, bw, bh, mask)) { keep(x - r - 3 - bw, y - bh / 2, bw, bh, n.short, size, font, colour, "node", n.id); return true; }
      // then the four corners, a little further out
      var d = r * 0.7 + 2, corners = [[x + d, y + d], [x + d, y - d - bh], [x - d - bw, y + d], [x - d - bw, y - d - bh]];
      for (var k = 0; k < corners.length; k++) {
        if (fits(corners[k][0], corners[k][1], bw, bh, mask)) { keep(corners[k][0], corners[k][1], bw, bh, n.short, size, font, colour, "node", n.id); return true; }
      }
      return false;
    }
    var count = 0, n, c;
    if (focus) {
      focus.nodes.forEach(function (i) {
        if (visN[i] && inView[i] && placeNode(NODES[i], true, "#1d1d1d")) count++;
      });
    }
    // past MAX_TRIES candidates in view the rest rarely find room: stop there
    var tries = 0;
    for (c = 0; c < order.length && count < MAX_LABELS && tries < MAX_TRIES; c++) {
      n = order[c];
      if (!inView[n.i] || (focus && focus.nodes.has(n.i))) continue;
      tries++;
      if (placeNode(n, n.rank < 12 && !focus, focus ? "#9a9a9a" : "#1d1d1d")) count++;
    }
    // relation words where there is room: the focus's, or all when zoomed in
    var edgeKeys = focus ? Array.from(focus.edges) : (s >= 0.9 ? shownEdgeKeys() : []);
    for (c = 0; c < edgeKeys.length && c < 400; c++) {
      var e = EDGES[edgeKeys[c]];
      if (e.a === e.b || !inView[e.a.i] || !inView[e.b.i]) continue;
      var cv = curve(e, s);
      var mx = ((0.25 * cv.x0 + 0.5 * cv.cx + 0.25 * cv.x1) - view.x) * s + hw;
      var my = ((0.25 * cv.y0 + 0.5 * cv.cy + 0.25 * cv.y1) - view.y) * s + hh - 7;
      var text = edgeText(e), bw = textWidth(ctx, text, FONT_EDGE) + 4;
      if (fits(mx - bw / 2, my, bw, 15, 3)) keep(mx - bw / 2, my, bw, 15, text, 11, FONT_EDGE, "#4a5560", "edge", edgeKeys[c]);
    }
    ctx.save();
    var ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.lineJoin = "round"; ctx.lineWidth = 4; ctx.strokeStyle = "rgba(255,255,255,0.92)";
    var font = "";
    placed.forEach(function (l) {
      var f = l.kind === "edge" ? "italic " + l.font : l.font;
      if (f !== font) { ctx.font = f; font = f; }
      ctx.strokeText(l.text, l.x + l.w / 2, l.y + 2);
      ctx.fillStyle = l.colour;
      ctx.fillText(l.text, l.x + l.w / 2, l.y + 2);
    });
    ctx.restore();
    lastLabels = placed;
  }
  function ring(ctx, n, s, colour, width) {
    var p = pos(n);
    ctx.beginPath();
    shapePath(ctx, n.shape, p.x, p.y, nodeRadius(n, s) + 2 / s);
    ctx.lineWidth = width / s; ctx.strokeStyle = colour; ctx.stroke();
  }
  network.on("afterDrawing", function (ctx) {
    var focus = focusSets(), s = scale();
    drawNodes(ctx, shownIndexes(), s);
    if (focus) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "rgba(255,255,255,0.72)";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
      drawEdges(ctx, Array.from(focus.edges), true);
      var inFocus = [];
      focus.nodes.forEach(function (i) { if (visN[i]) inFocus.push(i); });
      drawNodes(ctx, inFocus, s);
      if (state.focus !== null) ring(ctx, NODES[state.focus], s, FOCUS, 2.5);
    } else if (state.hoverEdge >= 0 && visE[state.hoverEdge]) {
      drawEdges(ctx, [state.hoverEdge], true);
    }
    if (hoveredNode !== null && byId.has(hoveredNode)) ring(ctx, byId.get(hoveredNode), s, FOCUS, 1.5);
    drawLabels(ctx, focus);
  });

  // --- stable first view ------------------------------------------------------------------
  var progress = document.getElementById("kg-progress");
  function fitView() {
    var ids = [];
    NODES.forEach(function (n, i) { if (visN[i]) ids.push(n.id); });
    if (ids.length) {
      network.fit({ nodes: ids, animation: false });
      network.moveTo({ scale: network.getScale() * 0.92, animation: false });
    }
  }
  fitView();
  network.once("afterDrawing", function () {
    document.body.dataset.stable = "1";
    window.kgStableAt = performance.now();
    progress.textContent = "";
  });
  network.redraw();

  // --- timing of interactions (read by tests and benchmarks) ------------------------------
  var timing = { name: "", start: 0, ms: null };
  function began(name, ev) {
    var t = ev && typeof ev.timeStamp === "number" && ev.timeStamp > 0 ? ev.timeStamp : performance.now();
    timing = { name: name, start: Math.min(t, performance.now()), ms: null };
  }
  network.on("afterDrawing", function () {
    if (timing.ms === null && timing.name) timing.ms = performance.now() - timing.start;
  });
  function measure(fn) {
    return new Promise(function (resolve) {
      var t0 = performance.now(), done = false;
      network.once("afterDrawing", function () { done = true; resolve(performance.now() - t0); });
      fn();
      if (!done) network.redraw();
    });
  }

  // --- info panel ---------------------------------------------------------------------------
  var info = document.getElementById("kg-info");
  function row(dl, key, value) {
    dl.appendChild(el("dt", null, key));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value);
    else if (Array.isArray(value)) {
      if (!value.length) dd.textContent = "\u2014";
      else { var ul = el("ul"); value.forEach(function (v) { ul.appendChild(v instanceof Node ? li(v) : el("li", null, v)); }); dd.appendChild(ul); }
    } else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function li(child) { var item = el("li"); item.appendChild(child); return item; }
  function linkButton(text, onClick, title) {
    var b = el("button", "kg-link", text);
    b.type = "button"; if (title) b.title = title;
    b.addEventListener("click", onClick);
    return b;
  }
  function hideInfo() { info.hidden = true; clear(info); delete info.dataset.kind; delete info.dataset.id; }
  var KIND_TEXT = {
    stated: "stated fact",
    guess: "guess: a weak reading (confidence below " + DATA.guessBelow + "), not a stated fact",
    loose: "loose relation: only the words link them (kgo:relatedTo)",
    modal: "not asserted by the text"
  };
  function showNode(i) {
    var n = NODES[i];
    if (!n) return;
    clear(info);
    info.dataset.kind = "node"; info.dataset.id = n.id;
    info.appendChild(el("h2", null, n.name));
    var dl = el("dl");
    row(dl, "Type", n.clsLabel);
    row(dl, "Aliases", n.aliases.length ? n.aliases.join(", ") : "\u2014");
    if (n.values && n.values.length) row(dl, "Dates", n.values);
    row(dl, "Mentions", n.mentions);
    row(dl, "Relations", n.degree);
    var docs = n.docs.slice(0, 12).map(function (d) {
      return linkButton(docName(d), function () { setDocument(d); }, "Show this document's entities");
    });
    if (n.docs.length > docs.length) docs.push(el("span", "kg-muted", "and " + (n.docs.length - docs.length) + " more"));
    row(dl, "Documents", docs);
    info.appendChild(dl);
    var actions = el("div", "kg-actions");
    var hiddenNeighbours = neighbours(i).filter(function (j) { return !visN[j]; }).length;
    var expand = el("button", null, "Show neighbours" + (hiddenNeighbours ? " (" + hiddenNeighbours + " hidden)" : ""));
    expand.type = "button"; expand.dataset.action = "expand";
    expand.addEventListener("click", function (ev) { began("expand", ev); expandNode(i); });
    actions.appendChild(expand);
    var from = el("button", null, state.pathFrom === i ? "Click another entity\u2026" : "Path from here");
    from.type = "button"; from.dataset.action = "path";
    from.addEventListener("click", function () { state.pathFrom = i; showNode(i); });
    actions.appendChild(from);
    info.appendChild(actions);
    var links = adj[i];
    if (links.length) {
      var ul = el("ul", "kg-relations");
      links.slice(0, 30).forEach(function (k) {
        var e = EDGES[k], out = e.a.i === i, other = out ? e.b : e.a;
        var text = (out ? "\u2192 " : "\u2190 ") + edgeText(e) + " \u00B7 " + other.name;
        var b = linkButton(text, function (ev) { began("edge", ev); pinEdge(k); });
        b.dataset.edge = String(k);
        if (!visE[k]) b.classList.add("kg-muted");
        ul.appendChild(li(b));
      });
      if (links.length > 30) ul.appendChild(el("li", "kg-source", "and " + (links.length - 30) + " more"));
      info.appendChild(ul);
    }
    if (n.why) info.appendChild(explanation(n));
    info.hidden = false;
  }
  // why the entity's mentions are one node (kg explain): per document, the corpus rule
  // that joined its entity and the mentions with the rules that placed them
  function term(k) { return k >= 0 && k < TERMS.length ? TERMS[k] : ""; }
  function joinedBy(d) {
    var rule = term(d[2]), score = d[3] === null ? "" : " (score " + String(Number(Number(d[3]).toFixed(4))) + ")";
    if (!rule) return "mentions only (no entity link kept)";
    if (!d[4] && rule === "kg.link.curated.v1") return rule + ": put on this node by the curation file";
    if (!d[4] && rule === "kg.link.new.v1") return rule + ": this node's first entity";
    if (!d[4]) return "joined by " + rule + score + " with an entity of a document since removed";
    return "joined by " + rule + score + " with \u201C" + d[4][1] + "\u201D in " + (d[4][0] >= 0 ? docName(d[4][0]) : "another document");
  }
  function explanation(n) {
    var box = el("details", "kg-why");
    box.open = true;
    var total = n.why.docs.length + n.why.more[0];
    box.appendChild(el("summary", null, "Why one entity \u00B7 " + total + (total === 1 ? " document" : " documents")));
    n.why.docs.forEach(function (d) {
      var part = el("div", "kg-why-doc");
      var head = el("div", "kg-why-head");
      head.appendChild(el("strong", null, d[0] >= 0 ? docName(d[0]) : "unknown document"));
      if (d[1]) head.appendChild(document.createTextNode(": \u201C" + d[1] + "\u201D"));
      part.appendChild(head);
      part.appendChild(el("div", "kg-source kg-why-rule", joinedBy(d)));
      var ul = el("ul", "kg-why-mentions");
      d[5].forEach(function (m) {
        var how = [term(m[1]) || "name"];
        if (term(m[2])) how.push("found by " + term(m[2]));
        if (term(m[3])) how.push("linked by " + term(m[3]));
        var item = el("li");
        item.appendChild(el("q", null, m[0]));
        item.appendChild(el("span", "kg-source", " " + how.join(", ")));
        ul.appendChild(item);
      });
      if (d[6]) ul.appendChild(el("li", "kg-source kg-why-more", "and " + d[6] + " more mentions"));
      part.appendChild(ul);
      box.appendChild(part);
    });
    if (n.why.more[0]) box.appendChild(el("p", "kg-source kg-why-more", "and " + n.why.more[0] + " more documents (" + n.why.more[1] + " mentions); kg explain lists them all"));
    return box;
  }
  function sentenceElement(ev) {
    var p = el("p", "kg-sentence");
    var chars = Array.from(ev.sentence); // offsets count code points, as Python does
    var at = 0;
    ev.marks.forEach(function (m) {
      if (m[0] < at || m[1] > chars.length) return;
      if (m[0] > at) p.appendChild(document.createTextNode(chars.slice(at, m[0]).join("")));
      p.appendChild(el("mark", "kg-" + m[2], chars.slice(m[0], m[1]).join("")));
      at = m[1];
    });
    if (at < chars.length) p.appendChild(document.createTextNode(chars.slice(at).join("")));
    return p;
  }
  function showEdge(k) {
    var e = EDGES[k];
    if (!e) return;
    clear(info);
    info.dataset.kind = "edge"; info.dataset.id = String(k);
    var h = el("h2");
    h.appendChild(el("mark", "kg-s", e.a.name));
    h.appendChild(document.createTextNode(" "));
    h.appendChild(el("span", "kg-rel", edgeText(e)));
    h.appendChild(document.createTextNode(" "));
    h.appendChild(el("mark", "kg-o", e.b.name));
    info.appendChild(h);
    var kind = el("span", "kg-kind kg-kind-" + e.kind, e.kind === "modal" ? e.modality + ": " + KIND_TEXT.modal : KIND_TEXT[e.kind]);
    kind.dataset.kind = e.kind;
    info.appendChild(kind);
    var dl = el("dl");
    row(dl, "Property", e.property.replace(/^.*[#/]/, "kgo:"));
    row(dl, "Confidence", fmt(e.conf));
    row(dl, "Sentences", e.evidence.length);
    info.appendChild(dl);
    e.evidence.slice(0, 10).forEach(function (ev) {
      var box = el("div", "kg-evidence");
      var source = docName(ev.doc) + " \u00B7 confidence " + fmt(ev.conf);
      if (ev.modality && ev.modality !== "asserted") source += " \u00B7 " + ev.modality;
      box.appendChild(el("div", "kg-source", source));
      var how = [];
      if (ev.rule) how.push("rule " + ev.rule);
      if (ev.words) how.push("words \u201C" + ev.words + "\u201D");
      if (how.length) { var r = el("div", "kg-source kg-rule", how.join(" \u00B7 ")); box.appendChild(r); }
      box.appendChild(sentenceElement(ev));
      info.appendChild(box);
    });
    if (e.evidence.length > 10) info.appendChild(el("p", "kg-source", "and " + (e.evidence.length - 10) + " more sentences"));
    info.hidden = false;
  }

  // --- focus, expand, path -------------------------------------------------------------------
  function focusNode(i) {
    state.focus = i; state.path = null; state.pinned = { kind: "node", id: i };
    network.selectNodes([NODES[i].id]);
    showNode(i);
    network.redraw();
  }
  function pinEdge(k) {
    state.pinned = { kind: "edge", id: k }; state.focus = null; state.path = null;
    state.hoverEdge = k;
    network.unselectAll();
    showEdge(k);
    network.redraw();
  }
  function unfocus() {
    state.focus = null; state.path = null; state.pinned = null; state.hoverEdge = -1; state.pathFrom = null;
    network.unselectAll(); hideInfo(); network.redraw();
  }
  function neighbours(i) {
    var out = [];
    adj[i].forEach(function (k) { var e = EDGES[k]; if (kindShown(e)) out.push(e.a.i === i ? e.b.i : e.a.i); });
    return out;
  }
  function expandNode(i) {
    state.forcedNodes.add(i);
    adj[i].forEach(function (k) {
      var e = EDGES[k];
      if (!kindShown(e)) return;
      state.forcedEdges.add(k); state.forcedNodes.add(e.a.i); state.forcedNodes.add(e.b.i);
    });
    applyVisibility();
    focusNode(i);
  }
  function findPath(a, b) {
    if (a === b) return { nodes: [a], edges: [] };
    var prev = new Int32Array(NODES.length).fill(-1), via = new Int32Array(NODES.length).fill(-1);
    prev[a] = a;
    var queue = [a];
    for (var q = 0; q < queue.length; q++) {
      var u = queue[q];
      var list = adj[u];
      for (var j = 0; j < list.length; j++) {
        var e = EDGES[list[j]];
        if (!kindShown(e)) continue;
        var v = e.a.i === u ? e.b.i : e.a.i;
        if (prev[v] !== -1) continue;
        prev[v] = u; via[v] = list[j];
        if (v === b) { queue.length = 0; break; }
        queue.push(v);
      }
    }
    if (prev[b] === -1) return null;
    var nodesOnPath = [b], edgesOnPath = [];
    for (var x = b; x !== a; x = prev[x]) { edgesOnPath.push(via[x]); nodesOnPath.push(prev[x]); }
    return { nodes: nodesOnPath.reverse(), edges: edgesOnPath.reverse() };
  }
  function showPath(a, b) {
    var found = findPath(a, b);
    state.pathFrom = null;
    clear(info);
    info.dataset.kind = "path"; info.dataset.id = NODES[a].id + " " + NODES[b].id;
    info.appendChild(el("h2", null, "From " + NODES[a].name + " to " + NODES[b].name));
    if (!found) {
      state.path = null;
      info.appendChild(el("p", null, "No chain of the relations shown links them" +
        (state.loose && state.modal ? "." : "; tick \u201Cloose relations\u201D or \u201Creported & hedged\u201D to search more.")));
      info.hidden = false;
      network.redraw();
      return null;
    }
    found.nodes.forEach(function (i) { state.forcedNodes.add(i); });
    found.edges.forEach(function (k) { state.forcedEdges.add(k); });
    applyVisibility();
    state.focus = null;
    state.path = { nodes: new Set(found.nodes), edges: new Set(found.edges) };
    state.pinned = { kind: "path" };
    var ol = el("ol");
    found.edges.forEach(function (k) {
      var e = EDGES[k], item = el("li");
      item.appendChild(linkButton(e.a.name + " \u2014 " + edgeText(e) + " \u2192 " + e.b.name, function () { pinEdge(k); }));
      if (e.evidence.length) item.appendChild(el("div", "kg-source", e.evidence[0].sentence));
      ol.appendChild(item);
    });
    info.appendChild(ol);
    info.hidden = false;
    network.selectNodes([NODES[a].id, NODES[b].id]);
    network.redraw();
    return found.nodes.map(function (i) { return NODES[i].id; });
  }

  // --- pointer ----------------------------------------------------------------------------------
  network.on("hoverNode", function (p) { hoveredNode = p.node; if (!state.pinned) showNode(byId.get(p.node).i); });
  network.on("blurNode", function () { hoveredNode = null; if (!state.pinned) hideInfo(); });
  network.on("click", function (p) {
    began("click", p.event && p.event.srcEvent);
    if (p.nodes.length) {
      var i = byId.get(p.nodes[0]).i;
      if (state.pathFrom !== null && state.pathFrom !== i) { showPath(state.pathFrom, i); return; }
      focusNode(i);
      return;
    }
    var k = edgeAt(p.pointer.canvas.x, p.pointer.canvas.y);
    if (k >= 0) pinEdge(k); else unfocus();
  });
  network.on("dragEnd", function (p) { if (p.nodes && p.nodes.length) { dragged = p.nodes.slice(); posVersion += 1; } });
  var moveQueued = false, lastMove = null;
  container.addEventListener("mousemove", function (ev) {
    lastMove = ev;
    if (moveQueued) return;
    moveQueued = true;
    requestAnimationFrame(function () {
      moveQueued = false;
      if (state.pinned || hoveredNode !== null || !lastMove) return;
      var rect = container.getBoundingClientRect();
      var c = network.DOMtoCanvas({ x: lastMove.clientX - rect.left, y: lastMove.clientY - rect.top });
      var k = edgeAt(c.x, c.y);
      if (k !== state.hoverEdge) {
        state.hoverEdge = k;
        if (k >= 0) showEdge(k); else hideInfo();
        network.redraw();
      }
    });
  });

  // --- filters ----------------------------------------------------------------------------------
  var counts = document.getElementById("kg-counts");
  function updateCounts() {
    var n = 0, m = 0, i;
    for (i = 0; i < visN.length; i++) n += visN[i];
    for (i = 0; i < visE.length; i++) m += visE[i];
    counts.textContent = n + " of " + NODES.length + " entities \u00B7 " + m + " of " + EDGES.length + " relations shown";
  }
  var legend = document.getElementById("kg-legend");
  var boxes = {};
  DATA.classes.forEach(function (item) {
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.dataset.cls = item.cls;
    box.addEventListener("change", function (ev) { began("class", ev); setClassVisible(item.cls, box.checked); });
    boxes[item.cls] = box;
    var glyph = el("span", "kg-glyph", GLYPHS[item.shape] || GLYPHS.dot);
    glyph.style.color = item.color;
    label.appendChild(box); label.appendChild(glyph);
    label.appendChild(document.createTextNode(item.label + " "));
    label.appendChild(el("span", "kg-count", "(" + item.count + ")"));
    legend.appendChild(label);
  });
  function setClassVisible(cls, on) {
    if (on) state.hidden.delete(cls); else state.hidden.add(cls);
    if (boxes[cls]) boxes[cls].checked = on;
    applyVisibility();
  }
  var slider = document.getElementById("kg-confidence"), sliderValue = document.getElementById("kg-confidence-value");
  slider.min = String(DATA.minConfidence || 0);
  function setMinConfidence(value) {
    state.minConf = Number(value);
    slider.value = String(state.minConf);
    sliderValue.textContent = state.minConf.toFixed(2);
    applyVisibility();
  }
  slider.addEventListener("input", function (ev) { began("confidence", ev); setMinConfidence(slider.value); });
  function checkbox(id, key) {
    var box = document.getElementById(id);
    box.checked = state[key];
    box.addEventListener("change", function (ev) { began(key, ev); set(box.checked); });
    // showing another kind of relation or entity frames what is shown anew
    function set(on) {
      state[key] = !!on; box.checked = state[key];
      if (key === "hulls") { network.redraw(); return; }
      applyVisibility();
      if (state.focus === null && !state.path) fitView();
    }
    return set;
  }
  var setLoose = checkbox("kg-loose", "loose"), setModal = checkbox("kg-modal", "modal");
  var setUnlinked = checkbox("kg-unlinked", "unlinked"), setHulls = checkbox("kg-hulls", "hulls");
  var docSelect = document.getElementById("kg-doc");
  var docOrder = DOCS.map(function (_d, i) { return i; }).sort(function (a, b) { return docName(a).localeCompare(docName(b)); });
  docOrder.forEach(function (i) { var o = el("option", null, docName(i)); o.value = String(i); o.title = DOCS[i]; docSelect.appendChild(o); });
  function setDocument(i) {
    if (typeof i === "string" && !/^-?\d+$/.test(i)) {
      var want = i; i = DOCS.findIndex(function (d, j) { return d === want || docName(j) === want; });
    }
    state.doc = Number(i);
    docSelect.value = String(state.doc);
    state.forcedNodes.clear(); state.forcedEdges.clear();
    applyVisibility();
    fitView();
    network.redraw();
    return state.doc;
  }
  docSelect.addEventListener("change", function (ev) { began("document", ev); setDocument(docSelect.value); });
  var groupSelect = document.getElementById("kg-group");
  DATA.groups.forEach(function (g) {
    var o = el("option", null, g.names.join(", ") + (g.size > g.names.length ? " +" + (g.size - g.names.length) : ""));
    o.value = String(g.id); groupSelect.appendChild(o);
  });
  function setGroup(g) {
    state.group = Number(g);
    groupSelect.value = String(state.group);
    state.forcedNodes.clear(); state.forcedEdges.clear();
    applyVisibility();
    fitView();
    network.redraw();
  }
  groupSelect.addEventListener("change", function (ev) { began("group", ev); setGroup(groupSelect.value); });

  // --- search ------------------------------------------------------------------------------------
  var names = document.getElementById("kg-names");
  document.getElementById("kg-search").addEventListener("focus", function () {
    if (names.childElementCount) return;
    var frag = document.createDocumentFragment();
    order.slice(0, 5000).forEach(function (n) { var o = el("option"); o.value = n.name; frag.appendChild(o); });
    names.appendChild(frag);
  });
  var status = document.getElementById("kg-search-status");
  function findNode(query) {
    var q = String(query).trim().toLocaleLowerCase();
    if (!q) return null;
    var exact = null, alias = null, part = null;
    for (var c = 0; c < order.length; c++) {
      var n = order[c], l = n.name.toLocaleLowerCase();
      if (l === q) { exact = n; break; }
      if (!alias && n.aliases.some(function (a) { return a.toLocaleLowerCase() === q; })) alias = n;
      if (!part && l.indexOf(q) >= 0) part = n;
    }
    return exact || alias || part;
  }
  function search(query) {
    var n = findNode(query);
    if (!n) { status.textContent = "no entity matches \u201C" + String(query).trim() + "\u201D"; return null; }
    status.textContent = "";
    if (!visN[n.i]) { state.forcedNodes.add(n.i); applyVisibility(); }
    network.focus(n.id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    focusNode(n.i);
    return n.id;
  }
  document.getElementById("kg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    began("search", ev);
    search(document.getElementById("kg-search").value);
  });

  // --- reset and keys ------------------------------------------------------------------------------
  function reset() {
    state.hidden.clear();
    Object.keys(boxes).forEach(function (k) { boxes[k].checked = true; });
    setLoose(false); setModal(false); setUnlinked(false); setHulls(true);
    state.doc = -1; docSelect.value = "-1"; state.group = -1; groupSelect.value = "-1";
    state.forcedNodes.clear(); state.forcedEdges.clear();
    status.textContent = "";
    document.getElementById("kg-search").value = "";
    setMinConfidence(DATA.minConfidence || 0);
    unfocus();
    fitView();
    network.redraw();
  }
  document.getElementById("kg-reset").addEventListener("click", function (ev) { began("reset", ev); reset(); });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = !!t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" || (t.tagName === "INPUT" && /^(text|search)$/.test(t.type)));
    if (ev.key === "Escape") unfocus();
    else if (ev.key === "/" && !typing) { ev.preventDefault(); document.getElementById("kg-search").focus(); }
  });

  // --- what the first view leaves out ----------------------------------------------------------------
  var notice = document.getElementById("kg-notice");
  var om = DATA.omitted, parts = [];
  var hiddenEdges = 0;
  EDGES.forEach(function (e) { if (e.loose || e.modality !== "asserted") hiddenEdges += 1; });
  var unlinkedCount = 0;
  NODES.forEach(function (n, i) { if (!visN[i]) unlinkedCount += 1; });
  if (hiddenEdges || unlinkedCount) {
    parts.push("Showing stated facts. Not shown until you ask: " + hiddenEdges + " loose, reported or hedged relations, " +
      unlinkedCount + " entities without a stated relation.");
  }
  if (om.nodes > 0) {
    var text = "The page holds the " + NODES.length + " most connected entities (--max-nodes " + om.maxNodes +
      "); left out " + om.nodes + " entities and " + om.edges + " relations";
    if (om.names.length) text += ": " + om.names.join(", ") + (om.nodes > om.names.length ? " and " + (om.nodes - om.names.length) + " more" : "");
    parts.push(text + ".");
  }
  if (om.filteredEdges > 0) parts.push(om.filteredEdges + " relations with confidence below " + Number(DATA.minConfidence).toFixed(2) + " are not in this page.");
  if (parts.length) { notice.textContent = parts.join(" "); notice.hidden = false; }
  setMinConfidence(state.minConf);
  updateCounts();

  window.kgNetwork = network;
  window.kg = {
    network: network, nodes: nodes, data: DATA, state: state,
    search: search, findNode: findNode, reset: reset, unfocus: unfocus,
    showNode: function (id) { showNode(byId.get(id).i); }, showEdge: showEdge,
    focus: function (id) { focusNode(byId.get(id).i); }, pinEdge: pinEdge,
    expand: function (id) { expandNode(byId.get(id).i); },
    path: function (a, b) { return showPath(byId.get(a).i, byId.get(b).i); },
    setClassVisible: setClassVisible, setMinConfidence: setMinConfidence, setLoose: setLoose,
    setModal: setModal, setUnlinked: setUnlinked, setHulls: setHulls, setDocument: setDocument, setGroup: setGroup,
    labels: function () { return lastLabels.map(function (l) { return { id: l.id, kind: l.kind, text: l.text, x: l.x, y: l.y, w: l.w, h: l.h, size: l.size }; }); },
    visibleNodes: function () { var out = []; NODES.forEach(function (n, i) { if (visN[i]) out.push(n.id); }); return out; },
    visibleEdges: function () { var out = []; for (var k = 0; k < EDGES.length; k++) if (visE[k]) out.push(k); return out; },
    edgeAt: edgeAt, toDOM: function (id) { var p = pos(byId.get(id)); return network.canvasToDOM({ x: p.x, y: p.y }); },
    edgeMidpoint: function (k) { var c = curve(EDGES[k], scale()); return network.canvasToDOM({ x: 0.25 * c.x0 + 0.5 * c.cx + 0.25 * c.x1, y: 0.25 * c.y0 + 0.5 * c.cy + 0.25 * c.y1 }); },
    measure: measure, lastInteraction: function () { return timing; }
  };
})();
