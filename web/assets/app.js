// app.js: the only script of the pages (the Content-Security-Policy allows
// no inline script). It draws the trend chart from the JSON the server put
// in #trend-data, the charts and map of /spread from #spread-data, and steps
// through the matches of a report.
(function () {
  'use strict';

  function drawTrend() {
    var data = document.getElementById('trend-data');
    var box = document.getElementById('trend-chart');
    if (!data || !box || !window.echarts) {
      return;
    }
    var trend = JSON.parse(data.textContent);
    if (!trend.years || trend.years.length === 0) {
      box.hidden = true;
      return;
    }
    var chart = window.echarts.init(box, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      color: ['#b8322a', '#2f6f9f', '#d99a26', '#3f8f5a', '#7d4f9e', '#c2602f', '#4a9aa8', '#8a8a3a', '#9a9a9a'],
      textStyle: { fontFamily: 'inherit' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: trend.years },
      yAxis: { type: 'value', minInterval: 1, name: '段落数' },
      series: trend.series.map(function (s) {
        return { name: s.name, type: 'bar', stack: 'hits', barMaxWidth: 40, emphasis: { focus: 'series' }, data: s.data };
      })
    });
    window.addEventListener('resize', function () { chart.resize(); });
    box.setAttribute('data-rendered', 'true');
  }

  // Match navigation on the report page: ‹ 上一处 / 下一处 › move through
  // every <mark>, starting after the cited paragraph.
  function matchNavigation() {
    var prev = document.getElementById('prev-match');
    var next = document.getElementById('next-match');
    var report = document.getElementById('report');
    if (!prev || !next || !report) {
      return;
    }
    var marks = report.querySelectorAll('mark');
    if (marks.length === 0) {
      return;
    }
    var current = -1;
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target) {
      for (var i = 0; i < marks.length; i++) {
        if (target.contains(marks[i])) {
          current = i - 1;
          break;
        }
        if (target.compareDocumentPosition(marks[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
          current = i - 1;
          break;
        }
      }
    }
    function go(step) {
      if (current >= 0) {
        marks[current].classList.remove('current');
      }
      current = (current + step + marks.length) % marks.length;
      marks[current].classList.add('current');
      marks[current].scrollIntoView({ block: 'center' });
    }
    prev.addEventListener('click', function () { go(-1); });
    next.addEventListener('click', function () { go(1); });
  }

  // /spread: the adoption curve, the frequency per 10,000 characters and
  // the map of China by province. The tables beside them hold the numbers.
  var palette = ['#b8322a', '#2f6f9f', '#d99a26', '#3f8f5a'];

  function lineChart(box, option) {
    var chart = window.echarts.init(box, null, { renderer: 'canvas' });
    chart.setOption(option);
    window.addEventListener('resize', function () { chart.resize(); });
    box.setAttribute('data-rendered', 'true');
    return chart;
  }

  function drawSpread() {
    var data = document.getElementById('spread-data');
    if (!data || !window.echarts) {
      return;
    }
    var sp = JSON.parse(data.textContent);
    var years = (sp.years || []).map(String);
    var adoption = document.getElementById('adoption-chart');
    if (adoption && years.length) {
      lineChart(adoption, {
        animation: false, color: palette, textStyle: { fontFamily: 'inherit' },
        title: { text: '采用曲线（' + sp.level + '）', textStyle: { fontSize: 14 } },
        tooltip: { trigger: 'axis' },
        legend: { top: 0, right: 0 },
        grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: years },
        yAxis: [{ type: 'value', minInterval: 1, name: '累计采用' }, { type: 'value', name: '比例 %', max: 100 }],
        series: [
          { name: '累计采用', type: 'line', data: sp.adopted },
          { name: '累计比例 %', type: 'line', yAxisIndex: 1, data: sp.share },
          { name: '当年比例 %', type: 'line', yAxisIndex: 1, lineStyle: { type: 'dashed' }, data: sp.year_share }
        ]
      });
    }
    var freq = document.getElementById('frequency-chart');
    if (freq && years.length) {
      lineChart(freq, {
        animation: false, color: [palette[1]], textStyle: { fontFamily: 'inherit' },
        title: { text: '每万字段落数', textStyle: { fontSize: 14 } },
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: years },
        yAxis: { type: 'value', name: '段落 / 万字' },
        series: [{ name: '每万字段落', type: 'line', areaStyle: { opacity: 0.15 }, data: sp.per_10k }]
      });
    }
    var box = document.getElementById('map-chart');
    if (box && box.dataset.map && window.fetch) {
      window.fetch(box.dataset.map).then(function (r) {
        if (!r.ok) {
          throw new Error('map ' + r.status);
        }
        return r.json();
      }).then(function (geo) {
        drawMap(box, geo, sp);
      }).catch(function (err) {
        box.hidden = true;
        if (window.console) {
          window.console.warn('map not drawn:', err);
        }
      });
    }
  }

  function drawMap(box, geo, sp) {
    window.echarts.registerMap('china', geo);
    var byShare = sp.shade === 'share';
    var points = (sp.map || []).filter(function (p) { return p.value >= 0; });
    var values = points.map(function (p) { return p.value; });
    var min = byShare ? 0 : Math.min.apply(null, values.length ? values : [0]);
    var max = byShare ? 100 : Math.max.apply(null, values.length ? values : [0]);
    if (min === max) {
      min = byShare ? 0 : min - 1;
    }
    var info = {};
    (sp.map || []).forEach(function (p) { info[p.name] = p; });
    var chart = window.echarts.init(box, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false, textStyle: { fontFamily: 'inherit' },
      tooltip: {
        trigger: 'item',
        formatter: function (params) {
          var p = info[params.name];
          if (!p) {
            return params.name + '：语料中没有报告';
          }
          var first = p.first_year ? p.first_year + ' 年首次使用' : '未使用';
          return p.province + '：' + first + '；' + p.places + ' / ' + p.held + '（' + p.share + '%）；' + p.hits + ' 段';
        }
      },
      visualMap: {
        type: 'continuous', min: min, max: max, left: 0, bottom: 0, calculable: false,
        text: byShare ? ['100%', '0%'] : [String(max), String(min)],
        inRange: { color: byShare ? ['#fbe9e7', '#b8322a'] : ['#b8322a', '#fbe9e7'] }
      },
      series: [{
        name: byShare ? '采用比例' : '首次使用年份', type: 'map', map: 'china', roam: false,
        itemStyle: { areaColor: '#eeeeee', borderColor: '#999999' },
        emphasis: { label: { show: true } },
        data: points.map(function (p) { return { name: p.name, value: p.value, url: p.url }; })
      }]
    });
    chart.on('click', function (params) {
      if (params.data && params.data.url) {
        window.location.href = params.data.url;
      }
    });
    window.addEventListener('resize', function () { chart.resize(); });
    box.setAttribute('data-rendered', 'true');
  }

  drawTrend();
  drawSpread();
  matchNavigation();
})();
