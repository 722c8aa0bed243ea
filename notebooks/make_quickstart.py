"""Write notebooks/quickstart.ipynb, run it and save it with its outputs (kept as code so reviews see a plain diff).

Run: ``python notebooks/make_quickstart.py``. The notebook is in Chinese, for the planners who use it: it writes a
small Chinese CSV (GBK, as Excel saves it) from the bundled sample, reads it as a user's own file, builds the
walking graph over the DEM, delineates under the Changshou rule, checks the plan, edits it by hand and repairs
it, shows the offline map inline, and ends with what an analyst meets when something goes wrong (coded errors caught
and printed in one language, findings printed as their message, the service-point objects' one-line summaries, a
site no one can walk to said as a SiteLeftOutWarning). It runs in a temporary folder (its files land in ``quickstart_output/``
there); the saved outputs name files by relative path only, and execution times are not kept.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat as nbf

NOTEBOOK = Path(__file__).with_name("quickstart.ipynb")

CELLS: list[tuple[str, str]] = [
    ("md", "# 院落划分快速入门：读入 → 步行图 → 划分 → 检查 → 修复 → 地图\n\n"
           "本笔记本演示 Yuanluo 的 Python 接口：读入一份中文 CSV 农户表，按地形计算步行时间，按长寿区“寿和小院”"
           "规则划分院落，像镇街干部验收那样检查方案，手工改动后自动修复，最后生成可离线使用的院落地图。\n\n"
           "内置样例是安道尔的一个山区教区（© OpenStreetMap 贡献者，ODbL；SRTM 高程），全部离线运行，不需要网络。"),
    ("code", "import html\n"
             "from pathlib import Path\n\n"
             "import geopandas as gpd\n"
             "import numpy as np\n"
             "import pandas as pd\n"
             "from IPython.display import Image, display\n\n"
             "from yuanluo.gis.catalogue import text\n"
             "from yuanluo.gis.check import check_plan\n"
             "from yuanluo.gis.cluster import UnitDelineator\n"
             "from yuanluo.gis.io import read_households, read_layer\n"
             "from yuanluo.gis.neighbours import build_graph\n"
             "from yuanluo.gis.terrain import read_dem\n"
             "from yuanluo.gis.units import meeting_points, unit_territories\n"
             "from yuanluo.maps.interactive import make_map, render_html\n"
             "from yuanluo.maps.static import render_print_map\n"
             "from yuanluo.planners.presets import preset\n"
             "from yuanluo.planners.report import ReportInfo, report_date, write_html\n"
             "from yuanluo.planners.workflows import sample_paths, split_layer\n\n"
             "paths = {k: split_layer(v) for k, v in sample_paths().items()}\n"
             "out = Path('quickstart_output')\n"
             "out.mkdir(exist_ok=True)"),
    ("md", "## 1. 准备一份自己的中文农户表\n\n"
           "实际工作中农户表多半是 Excel 另存的 CSV：列名是中文，编码是 GBK。这里从内置样例取一个山村的 160 户，"
           "写成这样一份文件（人数、村民小组和院落长候选是演示用的）。换成你自己的文件时，只需改下面 `read_households` "
           "里的文件名：户编号、经度、纬度、人数、村民小组、院落长候选等常见列名都能自动识别，编码也自动识别；"
           "坐标系程序不会猜，要用 `crs=` 说明，国内的经纬度写 EPSG:4490（CGCS2000），高斯-克吕格投影写对应的 EPSG 代码；"
           "本样例在国外，用 GPS 的 EPSG:4326（WGS 84）。"),
    ("code", "hh_path, hh_layer = paths['households']\n"
             "sample = gpd.read_file(hh_path, layer=hh_layer).to_crs('EPSG:32631')  # 米制坐标下量距离\n"
             "centre = sample.geometry.union_all().centroid\n"
             "near = sample.assign(d=sample.distance(centre)).sort_values(['d', 'hid']).head(160).sort_values('hid')\n"
             "near = near.to_crs('EPSG:4326')  # 写成经纬度\n"
             "rng = np.random.default_rng(0)\n"
             "table = pd.DataFrame({\n"
             "    '户编号': near['hid'].to_numpy(),\n"
             "    '经度': near.geometry.x.round(6).to_numpy(),\n"
             "    '纬度': near.geometry.y.round(6).to_numpy(),\n"
             "    '人数': rng.integers(1, 6, len(near)),\n"
             "    '村民小组': np.where(near.geometry.y > near.geometry.y.median(), '一组', '二组'),\n"
             "    '院落长候选': np.where(np.arange(len(near)) % 12 == 0, '是', ''),\n"
             "})\n"
             "csv_path = out / '农户表.csv'\n"
             "table.to_csv(csv_path, index=False, encoding='gbk')\n"
             "table.head()"),
    ("code", "households, report = read_households(csv_path, crs='EPSG:4326')  # 经纬度（WGS 84）\n"
             "print(len(households), '户；编码', report.encoding, '；坐标', report.declared_crs, '→ 工作坐标系',\n"
             "      report.working_crs)\n"
             "print('识别出的列：', report.column_map)"),
    ("md", "## 2. 步行邻接图\n\n"
           "按高程（DEM）计算坡度后的步行分钟；河流、水面只在有道路过河处可以通过。"),
    ("code", "crs = households.crs\n"
             "terrain = read_dem(paths['dem'][0], working_crs=crs, households=households)\n"
             "layers = {k: read_layer(p, kind=k, working_crs=crs, layer=lyr) for k, (p, lyr) in paths.items()\n"
             "          if k in ('rivers', 'water', 'roads')}\n"
             "graph = build_graph(households, terrain=terrain, rivers=layers['rivers'], water=layers['water'],\n"
             "                    roads=layers['roads'])\n"
             "print(graph.n, '户，', graph.m, '条邻接边；被河流或水面切断的候选边：',\n"
             "      graph.cut['reason'].value_counts().to_dict() if len(graph.cut) else 0)"),
    ("md", "## 3. 按长寿区“寿和小院”规则划分（每个院落 15–25 户）\n\n"
           "同一输入、同一 `random_state` 每次得到同一方案。院落不跨村民小组；每个合规院落至少有一户院落长候选，"
           "片内没有候选户的孤立小片划为例外院落（下表状态为“例外”，第 4 节的检查列出原因）。"),
    ("code", "rules = preset('changshou')\n"
             "model = UnitDelineator.from_rules(rules, random_state=0).fit(households, graph)\n"
             "units = model.units_\n"
             "print(len(units), '个院落，其中例外', int((units.status != 'ok').sum()), '个')\n"
             "shown = units.assign(status=[text(f'value.status.{s}', 'zh') for s in units.status])  # 状态写成文字\n"
             "shown[['unit_id', 'n_households', 'status', 'meeting_hid', 'head_hid', 'mean_walk_min']].rename(columns={\n"
             "    'unit_id': '院落编号', 'n_households': '户数', 'status': '状态', 'meeting_hid': '议事点（户）',\n"
             "    'head_hid': '建议院落长（户）', 'mean_walk_min': '平均步行（分钟）'}).round(1)"),
    ("md", "## 4. 像镇街干部验收一样检查方案\n\n"
           "检查是对同一套规则的第二次独立核对，逐条列出问题：错误是方案必须改的违规，警告是任何方案都避免不了的例外。"
           "被河流隔开、附近没有可并入院落的孤立小片会划为例外院落：户数不够列为警告（SIZE-EXCEPTION）；"
           "片内没有院落长候选户也列为警告（HEAD-EXCEPTION），因为无论怎么划都找不到候选户，要由干部实地确定院落长。"
           "只有警告、没有错误时检查通过。"
           "`model.check` 用划分时的同一套规则检查，划分结果已说明理由的例外院落列为警告；"
           "`check_plan` 不带这些说明，只看方案本身（用于检查手工改过的方案，见第 5 节）。"
           "检查报告是一页自带样式的 HTML，手机上能看，也能直接打印成 A4（每页有页码）。"),
    ("code", "result = model.check(households, graph)  # 同一套规则，连同划分结果说明过的例外院落一起检查\n"
             "print('检查结果：', '通过' if result.passed else '未通过')\n"
             "for message in result.violations.message_zh:\n"
             "    print(message.splitlines()[0])\n"
             "info = ReportInfo(input_file=csv_path.name, date=report_date(), dem='dem.tif', barriers=('rivers', 'water'),\n"
             "                  columns=frozenset(households.columns))\n"
             "print('检查报告：', write_html(result, out / '检查报告.html', info=info, overwrite=True).name)"),
    ("md", "## 5. 手工改动后自动修复\n\n"
           "模拟一次手工改动：把最小院落靠边的 3 户划给与它相邻的院落，这个院落就不够 15 户了。检查会把它列为错误；"
           "`model.repair` 只沿步行图调动，用尽量少的调动把方案修好。它和 `model.check` 一样带上划分时的规则、议事点"
           "和说明过理由的例外院落：这些院落保持原样时只是警告，不去调动；`repair_plan` 不带这些说明，"
           "会把它们也当作必须修的错误。"),
    ("code", "labels = model.labels_\n"
             "small = units[units.status == 'ok'].sort_values(['n_households', 'unit_id']).unit_id.iloc[0]\n"
             "a, b = labels.reindex(graph.ids[graph.u]).to_numpy(), labels.reindex(graph.ids[graph.v]).to_numpy()\n"
             "edge = pd.DataFrame({'hid': np.r_[graph.ids[graph.u], graph.ids[graph.v]], 'own': np.r_[a, b],\n"
             "                     'next': np.r_[b, a]})\n"
             "border = edge[(edge.own == small) & (edge.next != small) & edge.next.notna()]\n"
             "target = border.next.value_counts().sort_index(kind='stable').idxmax()\n"
             "moved = sorted(border[border.next == target].hid.unique())[:3]\n"
             "edited = labels.copy()\n"
             "edited[moved] = target\n"
             "before = check_plan(households, edited, rules, graph=graph)\n"
             "def codes(check, severity):\n"
             "    return sorted(set(check.violations.code[check.violations.severity == severity]))\n\n"
             "print('把', small, '的', len(moved), '户划给', target, '后：', '通过' if before.passed else '未通过',\n"
             "      '；错误', codes(before, 'error'), '；警告', codes(before, 'warning'))\n"
             "fixed = model.repair(households, graph, edited)  # 带上划分时说明过的例外院落和议事点\n"
             "def found(check):  # 错误（违规）：院落和代码\n"
             "    errors = check.violations[check.violations.severity == 'error']\n"
             "    return set(zip(errors.code, errors.unit_id, strict=True))\n\n"
             "print('修复调动', len(fixed.moves), '户；改动带来的违规还剩', len(found(fixed.check) - found(result)), '处')\n"
             "if not fixed.passed:\n"
             "    print('原方案就有、修复无法解决的：', fixed.reason('zh'))\n"
             "fixed.moves[['hid', 'from_unit', 'to_unit']].rename(columns={'hid': '户编号', 'from_unit': '原院落',\n"
             "                                                             'to_unit': '新院落'})"),
    ("md", "## 6. 地图\n\n"
           "离线 HTML 地图（手机上可用，不联网）直接显示在下面；点一户可以看到它所在的院落。再下面是打印用的 A4 图。"),
    ("code", "hh = households.assign(unit_id=model.labels_, unit_status=model.status_)\n"
             "terr = units.merge(unit_territories(households, model.labels_), on='unit_id')\n"
             "terr = gpd.GeoDataFrame(terr, geometry='geometry', crs=crs)\n"
             "meet = meeting_points(households, model.labels_, model.units_)  # 各院落的议事点（units_ 的 meeting_hid）\n"
             "map_layers = {'households': hh, 'units': terr, 'meeting_points': meet, **layers}\n"
             "page = render_html(make_map(map_layers, title='快速入门样例村', credit='© OpenStreetMap 贡献者'))\n"
             "(out / '院落地图.html').write_text(page, encoding='utf-8')\n"
             "print('地图：', '院落地图.html', len(page) // 1024, 'KB')\n"
             "frame = f'<iframe srcdoc=\"{html.escape(page)}\" style=\"width:100%;height:480px;border:0\"></iframe>'\n"
             "display({'text/html': frame, 'text/plain': '院落地图（离线 HTML）'}, raw=True)"),
    ("code", "png = render_print_map(map_layers, title='快速入门样例村', dpi=60, osm_attribution=True, rules=rules)\n"
             "display(Image(data=png))"),
    ("md", "## 7. 出了问题时：错误代码、提示和警告\n\n"
           "Yuanluo 有意报出的错误都是带代码的异常（`YuanluoError`，及其子类 `InputError`、`CRSError`、`OutputError` 等），"
           "可以用 `try … except` 捕获：`e.code` 是代码，`e.render('zh')` 或 `e.render('en')` 给出一种语言的完整提示，"
           "连同处理办法。下面读农户表时漏写了 `crs=`。划分和读入时发现的问题（`model.problems_`、`report.warnings`）"
           "逐条 `print` 就是提示文字，语言由环境变量 `YUANLUO_LANG` 决定（`en` 为英文，默认中文）。\n\n"
           "服务点选址（`yuanluo.gis.cover`）的对象在笔记本里显示为一行摘要。给出的点离所有农户都太远时（多半是把经纬度"
           "当成了米制坐标），这个点不接入步行网络，并发出 `SiteLeftOutWarning` 警告，可以按这个类别捕获或屏蔽。"),
    ("code", "import warnings\n\n"
             "from yuanluo.gis.cover import SiteLeftOutWarning, cover_entries, service_network\n"
             "from yuanluo.gis.errors import YuanluoError\n\n"
             "try:\n"
             "    read_households(csv_path)  # 漏写了 crs=\n"
             "except YuanluoError as e:\n"
             "    print('捕获到错误', e.code)\n"
             "    print(e.render('zh'))  # 英文：e.render('en')\n"
             "print()\n"
             "for p in model.problems_:  # 划分发现的问题：逐条打印就是提示文字\n"
             "    print(p)"),
    ("code", "halls = households[households['head_candidate']]  # 以院落长候选户作候选服务点\n"
             "net = service_network(graph, halls)\n"
             "print(net)\n"
             "print(cover_entries(net, limit_min=15))  # 步行 15 分钟内的（农户, 服务点）对\n"
             "with warnings.catch_warnings(record=True) as caught:\n"
             "    warnings.simplefilter('always', SiteLeftOutWarning)\n"
             "    far = service_network(graph, [[1.5211, 42.5063]])  # 把经纬度当成了米制坐标\n"
             "for w in caught:\n"
             "    print(w.category.__name__, w.message, sep='：')\n"
             "print(far)"),
]


def build() -> nbf.NotebookNode:
    """The notebook's cells, not yet run."""
    cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src) for kind, src in CELLS]
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"  # stable ids: a re-run changes outputs only
    return nbf.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})


def run(nb: nbf.NotebookNode, folder: str | Path, timeout: int = 600) -> nbf.NotebookNode:
    """Execute ``nb`` in ``folder`` and drop the execution times (outputs stay)."""
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    return nb


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="yuanluo-quickstart-") as folder:
        nb = run(build(), folder)
    NOTEBOOK.write_text(nbf.writes(nb), encoding="utf-8")
    print(f"wrote {NOTEBOOK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
