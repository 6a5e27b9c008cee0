// app.js: the only script of the pages (the Content-Security-Policy allows
// no inline script). It draws the trend chart from the JSON the server put
// in #trend-data, and steps through the matches of a report.
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

  drawTrend();
  matchNavigation();
})();
