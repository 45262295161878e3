#pragma once

#include <QMainWindow>

class QTabWidget;

namespace portcullis::ui {

// The main window shell: tabs for the tool catalog and the live monitor, filled in as those
// views land.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QTabWidget* tabs() const { return m_tabs; }

private:
    void buildMenus();

    QTabWidget* m_tabs = nullptr;
};

} // namespace portcullis::ui
