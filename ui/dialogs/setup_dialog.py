"""First launch: fix the unit, the level and the officer's name (or open the demo instead)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from ocop_desktop.installation import init_installation
from ocop_desktop.language import LANGUAGES, tr
from ocop_desktop.reference import LEVELS, available_provinces, load_province
from ocop_desktop.store import AppContext
from ui.dialogs.form import FormDialog
from ui.widgets.search_picker import SearchPicker


class SetupDialog(FormDialog):
    """Accepted with ``choice == "setup"`` after init, or ``"demo"`` when the officer wants the demo."""

    CHANGES = frozenset({"installation"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("Thiết lập OCOP Desktop"), parent)
        self.ctx = ctx
        self.choice = ""
        intro = QLabel(tr("Chọn đơn vị và cấp của máy này. Thiết lập chỉ làm một lần; mỗi bản ghi sẽ mang mã đơn vị này."))
        intro.setWordWrap(True)
        self.outer.insertWidget(0, intro)
        self.level = self.combo("level", tr("Cấp *"), [(k, tr(v)) for k, v in LEVELS.items()], "local")
        self.unit = SearchPicker([])
        self.add("unit_code", tr("Đơn vị *"), self.unit)
        self.officer = self.line("officer_name", tr("Họ tên cán bộ *"), "")
        self.language = self.combo("language", tr("Ngôn ngữ"), list(LANGUAGES.items()), "vi")
        self.level.currentIndexChanged.connect(self._fill_units)
        self._fill_units()
        self.demo_button = QPushButton(tr("Dùng dữ liệu demo (Đồng Tháp)"))
        self.demo_button.setObjectName("demo_button")
        self.demo_button.clicked.connect(self._choose_demo)
        self.finish_layout(self.demo_button)
        self.officer.setFocus()

    def _fill_units(self) -> None:
        options: list[tuple[str, str]] = []
        for code in available_provinces():
            units = load_province(code)
            if self.level.currentData() == "local":
                options += sorted(((c.code, f"{c.name} ({c.code}) — {units.short_name}")
                                   for c in units.communes.values()), key=lambda o: o[1])
            else:
                options.append((units.code, f"{units.name} ({units.code})"))
        self.unit.set_options(options)
        self.unit.setCurrentIndex(0 if self.level.currentData() != "local" else -1)

    def _choose_demo(self) -> None:
        self.choice = "demo"
        self.accept()

    def on_save(self) -> None:
        unit, level = self.unit.value() or self.unit.currentText(), self.level.currentData()
        officer, language = self.officer.text(), self.language.currentData()

        def save(_confirm: bool) -> str:
            return init_installation(self.ctx, unit, level, officer, language).device_id

        self.choice = "setup"
        self.run_save(save)
