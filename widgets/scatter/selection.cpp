#include "widgets/scatter/selection.h"

namespace latentlab {

Selection::Mode Selection::modeFor(Qt::KeyboardModifiers modifiers) {
    if (modifiers & Qt::AltModifier)
        return Mode::Remove;
    if (modifiers & Qt::ShiftModifier)
        return Mode::Add;
    return Mode::Replace;
}

void Selection::resize(int items) {
    if (items == int(mask_.size()))
        return;
    mask_.resize(size_t(items), 0);
    recount();
}

void Selection::apply(const QVector<int> &items, Mode mode) {
    if (mode == Mode::Replace)
        std::fill(mask_.begin(), mask_.end(), 0);
    const uint8_t value = mode == Mode::Remove ? 0 : 1;
    for (int i : items)
        if (i >= 0 && i < int(mask_.size()))
            mask_[i] = value;
    recount();
}

void Selection::invert() {
    for (uint8_t &m : mask_)
        m = !m;
    recount();
}

void Selection::clear() {
    std::fill(mask_.begin(), mask_.end(), 0);
    recount();
}

void Selection::recount() {
    items_.clear();
    for (int i = 0; i < int(mask_.size()); ++i)
        if (mask_[i])
            items_ << i;
    count_ = int(items_.size());
}

} // namespace latentlab
