namespace Leakproof.Census.Output;

/// <summary>The inline stylesheet and script of the HTML census (no external resources, so the page works offline).</summary>
internal static class CensusHtmlAssets
{
    /// <summary>The stylesheet.</summary>
    public const string Style = """

        body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #fbfbfd; }
        h1 { font-size: 1.35rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
        dt { font-weight: 600; }
        dd { margin: 0; }
        .warnings { background: #fff4d6; border: 1px solid #e8c45a; padding: .5rem 1.5rem; }
        .hint { color: #5b6475; margin: .2rem 0 .5rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { border: 1px solid #d9dce3; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        td { font-family: ui-monospace, monospace; font-size: 12.5px; word-break: break-all; }
        td[data-column=count], td[data-column=oldest], td[data-column=youngest] { text-align: right; word-break: normal; }
        th[data-column] { cursor: pointer; user-select: none; background: #eef0f5; white-space: nowrap; }
        th[aria-sort=ascending]::after { content: " ▲"; }
        th[aria-sort=descending]::after { content: " ▼"; }
        svg .bar { fill: #4a78c2; }
        svg text { font-size: 12px; fill: #1d2330; }
        details.chain { background: #fff; border: 1px solid #d9dce3; margin: .3rem 0; padding: .3rem .6rem; }
        details.chain summary { cursor: pointer; font-family: ui-monospace, monospace; font-size: 12.5px; }
        details.chain ul { list-style: none; margin: .2rem 0 0 .6rem; padding-left: .8rem; border-left: 2px solid #d9dce3; }
        details.chain li { font-family: ui-monospace, monospace; font-size: 12.5px; }
        .count { font-weight: 700; }
        .age { color: #5b6475; }

        """;

    /// <summary>The script: sorts the groups table when a column header is clicked (or activated by keyboard).</summary>
    public const string Script = """

        (function () {
          var table = document.getElementById('groups-table');
          if (!table) { return; }
          var headers = table.querySelectorAll('th[data-column]');
          function value(row, column, type) {
            var cell = row.querySelector('td[data-column="' + column + '"]');
            var text = cell ? cell.getAttribute('data-value') : '';
            return type === 'number' ? parseFloat(text) || 0 : text.toLowerCase();
          }
          function sort(header) {
            var column = header.getAttribute('data-column');
            var type = header.getAttribute('data-type');
            var direction = header.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
            headers.forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
            header.setAttribute('aria-sort', direction);
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = value(a, column, type), y = value(b, column, type);
              var order = x < y ? -1 : x > y ? 1 : 0;
              return direction === 'ascending' ? order : -order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
          }
          headers.forEach(function (header) {
            header.addEventListener('click', function () { sort(header); });
            header.addEventListener('keydown', function (e) {
              if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(header); }
            });
          });
        })();

        """;
}
