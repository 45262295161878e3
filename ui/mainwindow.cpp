#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QIcon>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

// Resources compiled into a static library are only registered when asked for by name.
static void initPortcullisResources() {
    Q_INIT_RESOURCE(portcullis);
}

namespace portcullis::ui {

namespace {

QLabel* placeholder(const QString& text) {
    auto* label = new QLabel(text);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setMargin(24);
    return label;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    ::initPortcullisResources();
    setWindowTitle(QStringLiteral("Portcullis"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/portcullis.svg")));
    resize(1100, 700);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->addTab(placeholder(tr("The tool catalog with risk badges and the rule editor "
                                  "appear here once servers are connected.")),
                   tr("Tools && rules"));
    m_tabs->addTab(placeholder(tr("Calls through the gateway stream here live.")),
                   tr("Live calls"));
    setCentralWidget(m_tabs);

    buildMenus();
    statusBar()->showMessage(tr("Gateway not started"));
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Portcullis"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Portcullis"),
                           tr("Portcullis %1\nA desktop gateway between AI agents and their MCP "
                              "servers.")
                               .arg(QApplication::applicationVersion()));
    });
}

} // namespace portcullis::ui
