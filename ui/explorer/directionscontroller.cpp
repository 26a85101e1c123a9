#include "ui/explorer/directionscontroller.h"

#include "model/error.h"
#include "ui/figures/imageconvert.h"
#include "ui/session/modelfactory.h"
#include "ui/threads/failure.h"
#include "ui/threads/latestwork.h"
#include "widgets/directionspanel.h"
#include "widgets/scatter/latentplot.h"

#include <torch/torch.h>

namespace latentlab {

DirectionsController::DirectionsController(DirectionsPanel *panel, LatentPlot *plot,
                                           QObject *parent)
    : QObject(parent)
    , panel_(panel)
    , plot_(plot)
    , preview_(new LatestWork(this, Yield::Pictures)) {
    connect(preview_, &LatestWork::failed, this, &DirectionsController::failed);
    connect(panel_, &DirectionsPanel::classDirectionRequested, this,
            [this](int from, int to) { guard([&] { addClassDirection(from, to); }); });
    connect(panel_, &DirectionsPanel::useSelectionAs, this,
            [this](int which) { guard([&] { useSelection(which); }); });
    connect(panel_, &DirectionsPanel::selectionDirectionRequested, this,
            [this] { guard([&] { addSelectionDirection(); }); });
    connect(panel_, &DirectionsPanel::principalDirectionsRequested, this,
            [this](int count) { guard([&] { addPrincipalDirections(count); }); });
    connect(panel_, &DirectionsPanel::removeRequested, this,
            [this](int row) { guard([&] { removeDirection(row); }); });
    connect(panel_, &DirectionsPanel::currentDirectionChanged, this,
            [this] { guard([this] { updatePreview(); }); });
    connect(panel_, &DirectionsPanel::amountChanged, this,
            [this] { guard([this] { updatePreview(); }); });
}

void DirectionsController::guard(const std::function<void()> &work) {
    const QString failure = failureOf(work);
    if (!failure.isEmpty())
        Q_EMIT failed(failure);
}

void DirectionsController::reset(TrainingSession *session, bool keep) {
    preview_->forget(); // pictures of an earlier session are not shown
    session_ = session;
    snapshot_.reset();
    classNames_.clear();
    const Dataset &data = session_->data();
    if (data.hasLabels()) {
        const int64_t classes = data.labels.max().item<int64_t>() + 1;
        for (int64_t c = 0; c < classes; ++c)
            classNames_ << (size_t(c) < data.classNames.size()
                                ? QString::fromStdString(data.classNames[size_t(c)])
                                : QString::number(c));
    }
    panel_->setClassNames(classNames_);
    if (keep) {
        session_->setDirections(directions_); // the newer model keeps what the person made
        return;
    }
    directions_ = session_->initialDirections();
    selections_[0].clear();
    selections_[1].clear();
    panel_->setSelectionCounts(0, 0);
    item_ = -1;
    plot_->setSelected({});
    QStringList names;
    for (const Direction &d : directions_)
        names << QString::fromStdString(d.name);
    panel_->setDirections(names);
    panel_->setPreview(QImage(), tr("Click an item on the scatter, choose a direction, and "
                                    "drag the slider."));
}

void DirectionsController::setSnapshot(std::shared_ptr<const Snapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    updatePreview();
}

void DirectionsController::setItem(int index) {
    item_ = index;
    updatePreview();
}

QString DirectionsController::uniqueName(const std::string &name) const {
    auto taken = [&](const std::string &candidate) {
        for (const Direction &d : directions_)
            if (d.name == candidate)
                return true;
        return false;
    };
    std::string candidate = name;
    for (int n = 2; taken(candidate); ++n)
        candidate = name + " (" + std::to_string(n) + ")";
    return QString::fromStdString(candidate);
}

void DirectionsController::addClassDirection(int from, int to) {
    if (!snapshot_ || !session_->data().hasLabels())
        throw Error("the data has no labels, so there are no class means to go between.");
    if (from == to)
        throw Error("choose two different classes: a direction from a class to itself is zero.");
    const QString name = classNames_.value(from) + QStringLiteral(" → ") + classNames_.value(to);
    const torch::Tensor labels = snapshot_->complete()
                                     ? session_->data().labels
                                     : session_->data().labels.index_select(0, snapshot_->known);
    add({classDirection(snapshot_->knownCodes(), labels, from, to, name.toStdString())});
}

void DirectionsController::useSelection(int which) {
    const QVector<int> chosen = plot_->selected();
    if (chosen.isEmpty())
        throw Error("nothing is selected: Ctrl-drag a rectangle on the scatter first.");
    selections_[which].assign(chosen.begin(), chosen.end());
    panel_->setSelectionCounts(int(selections_[0].size()), int(selections_[1].size()));
}

void DirectionsController::addSelectionDirection() {
    if (!snapshot_)
        return;
    const std::string name = "selection of " + std::to_string(selections_[0].size()) + " → " +
                             std::to_string(selections_[1].size());
    // Items selected before training began may have no code now (outside the live sample).
    auto withCodes = [&](const std::vector<int64_t> &items) {
        if (snapshot_->complete() || items.empty())
            return items;
        std::vector<int64_t> kept;
        for (int64_t i : items)
            if (i >= 0 && i < snapshot_->codes.size(0))
                kept.push_back(i);
        torch::Tensor t = torch::tensor(kept, torch::kLong);
        t = t.masked_select(snapshot_->codes.index_select(0, t).isfinite().all(1)).contiguous();
        if (t.numel() == 0)
            throw Error("no item of that selection has a code from this model yet: pause "
                        "training, and once every item is encoded, add the direction again.");
        return std::vector<int64_t>(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel());
    };
    add({selectionDirection(snapshot_->codes, withCodes(selections_[0]), withCodes(selections_[1]),
                            name)});
}

void DirectionsController::addPrincipalDirections(int count) {
    if (!snapshot_)
        return;
    add(principalDirections(snapshot_->knownCodes(), count));
}

void DirectionsController::add(std::vector<Direction> added) {
    for (Direction &d : added) {
        d.name = uniqueName(d.name).toStdString();
        directions_.push_back(std::move(d));
    }
    changed();
    panel_->setCurrentDirection(int(directions_.size() - added.size()));
    Q_EMIT message(
        tr("%n direction(s) added; they are saved with the model.", nullptr, int(added.size())));
}

void DirectionsController::removeDirection(int row) {
    if (row < 0 || size_t(row) >= directions_.size())
        return;
    directions_.erase(directions_.begin() + row);
    changed();
}

void DirectionsController::changed() {
    QStringList names;
    for (const Direction &d : directions_)
        names << QString::fromStdString(d.name);
    panel_->setDirections(names);
    if (session_)
        session_->setDirections(directions_);
    updatePreview();
    Q_EMIT edited();
}

bool DirectionsController::decoding() const {
    return preview_->busy();
}

void DirectionsController::updatePreview() {
    const int row = panel_->currentDirection();
    if (!snapshot_ || item_ < 0 || item_ >= snapshot_->codes.size(0) || row < 0 ||
        size_t(row) >= directions_.size())
        return;
    const Dataset &data = session_->data();
    const torch::Tensor label =
        data.hasLabels() ? data.labels.slice(0, item_, item_ + 1) : torch::zeros({1}, torch::kLong);
    const double amount = panel_->amount();
    const Direction &direction = directions_[size_t(row)];
    const torch::Tensor code = moveAlong(snapshot_->codeOf(item_, data.images), direction, amount);
    const QString caption = tr("item %1 moved %2 steps along “%3”")
                                .arg(item_)
                                .arg(amount, 0, 'f', 2)
                                .arg(QString::fromStdString(direction.name));
    preview_->submit([this, model = snapshot_->model, code, label, caption] {
        const QImage image = toQImage(model->decode(code.unsqueeze(0), label)[0]);
        return [this, image, caption] { panel_->setPreview(image, caption); };
    });
}

} // namespace latentlab
