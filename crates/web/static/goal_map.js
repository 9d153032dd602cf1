// The goal map as an alignment canvas (G-6, issue 23 item 4): an ECharts tree that zooms and
// pans, each node with its owner, progress and status light, collapsed beyond two levels, break
// points marked; a click opens the goal, or re-centres the map on a node whose supporters are not
// loaded. The list below the canvas is the accessible view of the same tree.
(function () {
  var LIGHTS = { green: '#38a169', yellow: '#d69e2e', red: '#e53e3e' };
  function node(n, d) {
    var more = n.supporters - n.children.length;
    return {
      name: n.title,
      value: n.id,
      link: more > 0 && n.children.length === 0 && n.depth > 0 ? '/goals/' + n.id + '/map' : '/goals/' + n.id,
      symbol: n.broken ? 'diamond' : 'circle',
      symbolSize: n.depth === 0 ? 16 : 11,
      itemStyle: { color: LIGHTS[n.light] || '#9ca3af', borderColor: n.broken ? '#b42318' : '#fff', borderWidth: n.broken ? 2 : 1 },
      label: {
        formatter: function () {
          var line = n.owner ? n.owner + ' · ' + n.progress + '%' : n.progress + '%';
          if (more > 0 && n.children.length === 0) line += ' · ' + d.more.replace('%n', more);
          if (n.broken) line += ' · ' + d.broken;
          return '{t|' + n.title + '}\n{m|' + line + '}';
        },
        rich: { t: { fontWeight: 600, lineHeight: 18 }, m: { color: '#52606d', fontSize: 11, lineHeight: 15 } }
      },
      children: n.children.map(function (c) { return node(c, d); })
    };
  }
  function leaves(n) {
    return n.children.length ? n.children.reduce(function (s, c) { return s + leaves(c); }, 0) : 1;
  }
  function draw() {
    var el = document.getElementById('map-canvas');
    var data = document.getElementById('map-data');
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    // Tall enough for the unfolded leaves, on a phone too.
    el.style.height = Math.min(1400, Math.max(360, leaves(d.tree) * 44)) + 'px';
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    var narrow = el.clientWidth < 600;
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'item', formatter: function (p) { return echarts.format.encodeHTML(p.name); } },
      series: [{
        type: 'tree', data: [node(d.tree, d)], roam: true, initialTreeDepth: 2, expandAndCollapse: false,
        orient: narrow ? 'TB' : 'LR', left: narrow ? 16 : 40, right: narrow ? 16 : 260, top: 24, bottom: 24,
        label: { position: narrow ? 'bottom' : 'right', align: 'left', verticalAlign: 'middle', width: 220, overflow: 'truncate' },
        leaves: { label: { position: narrow ? 'bottom' : 'right', align: 'left' } },
        lineStyle: { color: '#cbd2d9', width: 1.2, curveness: 0.5 }
      }]
    });
    chart.on('click', function (p) { if (p.data && p.data.link) window.location.href = p.data.link; });
    window.addEventListener('resize', function () { chart.resize(); });
    el.setAttribute('data-ready', '1');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw); else draw();
})();
