"""A score sheet that is neither an .xlsx nor text is said as what it is (session 54, helper U, second round): the
template saved by WPS as .et or by Excel as .xls (an old Office file) was MAT-FILE "cannot be parsed as CSV (an
unclosed quote …)"; one under a password, named .xlsx, "not a complete Excel workbook"; an .xlsx renamed .xls "an
unclosed quote" too. Now MAT-FILE says the content (an old Office file or a password-protected workbook; ZIP
content under a name not ending in .xlsx) and the fix for it (save it as .xlsx in Excel or WPS; rename it). All
fail on b0cae1f."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)


def _said(path: Path, lang: str) -> str:
    with pytest.raises(InputError) as exc:
        read_scores(path, ["U1"])
    assert exc.value.codes == ["MAT-FILE"]
    return " ".join(exc.value.render(lang).split())


@pytest.mark.parametrize("name", ["评分 WPS.et", "评分.xls", "评分 加密.xlsx"])
@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "内容是旧版办公文件（如 .xls）或加了密码的工作簿，不是 xlsx 工作簿或 CSV 表格。 处理办法：在 Excel 或 WPS 中打开它"
           "（加了密码的先取消密码），“另存为” Excel 工作簿（.xlsx），再读入存好的 .xlsx。"),
    ("en", "its content is an old Office file (such as an .xls) or a password-protected workbook, not an xlsx "
           "workbook or a CSV table. Fix: open it in Excel or WPS (remove its password, if it has one), save it as an "
           "Excel workbook (.xlsx) and load the .xlsx saved.")])
def test_an_old_office_file_is_said_to_be_saved_as_xlsx(tmp_path: Path, name: str, lang: str, said: str) -> None:
    (tmp_path / name).write_bytes(OLE2)
    assert said in _said(tmp_path / name, lang)


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "内容是 ZIP 格式（xlsx 工作簿也是），文件名却不以 .xlsx 结尾。 处理办法：它若是 xlsx 工作簿，把文件的扩展名改为 .xlsx"),
    ("en", "its content is in ZIP format (as an xlsx workbook's is), but its name does not end in .xlsx. Fix: if it "
           "is an xlsx workbook, rename it to end in .xlsx")])
def test_a_workbook_renamed_is_said_to_be_renamed(tmp_path: Path, lang: str, said: str) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["院落编号", "政策宣讲-开展内容"])
    wb.active.append(["U1", 7])
    wb.save(tmp_path / "评分.xls")
    assert said in _said(tmp_path / "评分.xls", lang)
