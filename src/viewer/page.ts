/** The viewer's HTML: a canvas filling the window above a control bar; the script is viewer.js (bundle.ts). */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>gavatar viewer</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
  html, body { margin: 0; height: 100%; font: 13px system-ui, sans-serif; background: #fff; }
  body { display: flex; flex-direction: column; }
  #stage { flex: 1; min-height: 0; position: relative; }
  #view { width: 100%; height: 100%; display: block; }
  #bar { display: flex; gap: 8px; align-items: center; padding: 6px 8px; border-top: 1px solid #ddd; background: #f7f7f7; flex-wrap: wrap; }
  #scrub { flex: 1; min-width: 120px; }
  #note { color: #555; font-size: 12px; padding: 0 8px 6px; background: #f7f7f7; }
  body.bare #bar, body.bare #note { display: none; }
</style>
</head>
<body>
<div id="stage"><canvas id="view"></canvas></div>
<div id="bar">
  <button id="play">pause</button>
  <input id="scrub" type="range" min="0" max="0" step="1" value="0" aria-label="frame">
  <span id="status">loading</span>
  <label>speed <select id="speed"><option value="0.25">0.25x</option><option value="0.5">0.5x</option><option value="1" selected>1x</option><option value="2">2x</option></select></label>
  <label>motion <select id="motion"></select></label>
  <span>mode: <b id="mode">skinned</b></span>
  <button id="reset">reset camera</button>
</div>
<div id="note"></div>
<script>if (new URLSearchParams(location.search).get("bare") === "1") document.body.classList.add("bare")</script>
<script type="module" src="viewer.js"></script>
</body>
</html>
`
