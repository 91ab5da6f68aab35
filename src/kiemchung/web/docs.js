"use strict";
// Lists /openapi.json's operations with their parameters and body fields, as text nodes only.
fetch("/openapi.json").then((r) => r.json()).then((spec) => {
  const root = document.getElementById("routes");
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const box = document.createElement("section");
      const title = document.createElement("h2");
      title.textContent = `${method.toUpperCase()} ${path}`;
      const summary = document.createElement("p");
      summary.textContent = op.description || op.summary || "";
      box.append(title, summary);
      const params = (op.parameters || []).map((p) => `${p.name} (${p.in})`);
      const ref = op.requestBody && JSON.stringify(op.requestBody.content).match(/schemas\/(\w+)/);
      if (ref) {
        const schema = spec.components.schemas[ref[1]];
        params.push(...Object.keys(schema.properties || {}).map((n) => `${n} (body)`));
      }
      if (params.length) {
        const list = document.createElement("p");
        list.className = "muted";
        list.textContent = "Parameters: " + params.join(", ");
        box.append(list);
      }
      root.append(box);
    }
  }
});
