// The network graph (intel/graph.html): a static file, so the Content-Security-Policy needs no inline script.
(function () {
  var elements = JSON.parse(document.getElementById("network-elements").textContent);
  var cy = cytoscape({
    container: document.getElementById("cy"), elements: elements,
    layout: {name: "cose", animate: false, randomize: false},
    style: [
      {selector: "node", style: {"label": "data(label)", "font-size": 9, "background-color": "#7a8896", "width": 14, "height": 14}},
      {selector: "node.person", style: {"background-color": "#1f5f8b"}},
      {selector: "node.organisation", style: {"shape": "round-rectangle", "background-color": "#6b4f9e"}},
      {selector: "node.selector", style: {"shape": "diamond", "background-color": "#c9a227", "width": 9, "height": 9}},
      {selector: "node.case", style: {"shape": "rectangle", "background-color": "#3d7a4a"}},
      {selector: "node.event", style: {"shape": "triangle", "background-color": "#9aa5b1", "width": 8, "height": 8, "label": ""}},
      {selector: "node.critical", style: {"border-width": 3, "border-color": "#a12626", "width": 22, "height": 22}},
      {selector: "edge", style: {"width": 1, "line-color": "#c5cdd6"}}
    ]
  });
  var panel = document.getElementById("node-details");
  function show(data) {
    panel.textContent = "";
    var h = document.createElement("strong"); h.textContent = data.label + " (" + data.kind + ")"; panel.appendChild(h);
    var lines = [];
    if (data.country) lines.push("Country: " + data.country);
    if (data.roles) lines.push("Roles: " + data.roles.split(";").join(", "));
    if (data.reason) lines.push("Why critical: " + data.reason);
    if (data.redundancy) lines.push("Redundancy: " + data.redundancy + " — " + data.redundancy_explanation);
    lines.forEach(function (text) { var p = document.createElement("p"); p.textContent = text; panel.appendChild(p); });
  }
  cy.on("tap", "node", function (evt) { show(evt.target.data()); });
  document.querySelectorAll("#critical-nodes tr[data-node]").forEach(function (row) {
    row.tabIndex = 0;
    function select() { var n = cy.getElementById(row.dataset.node); cy.elements().unselect(); n.select(); cy.center(n); show(n.data()); }
    row.addEventListener("click", select);
    row.addEventListener("keydown", function (e) { if (e.key === "Enter") select(); });
  });
})();
