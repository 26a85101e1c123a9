#pragma once
// Selection: a set of the scatter's item indices, as a mask for O(1) membership and as a sorted
// list. Items are indices, not positions, so a selection outlives new codes, another
// projection and a UMAP layout.

#include <QVector>
#include <Qt>

#include <cstdint>
#include <vector>

namespace latentlab {

class Selection {
public:
    enum class Mode { Replace, Add, Remove };
    // Shift adds to the selection, Alt removes from it, neither replaces it.
    static Mode modeFor(Qt::KeyboardModifiers modifiers);

    // The number of items there are; indices beyond it are dropped.
    void resize(int items);
    void apply(const QVector<int> &items, Mode mode);
    void invert();
    void clear();

    bool isEmpty() const { return count_ == 0; }
    int count() const { return count_; }
    bool contains(int i) const { return i >= 0 && i < int(mask_.size()) && mask_[i]; }
    // One byte per item, non-zero where selected.
    const std::vector<uint8_t> &mask() const { return mask_; }
    // The selected items in ascending order.
    const QVector<int> &items() const { return items_; }

private:
    void recount();

    std::vector<uint8_t> mask_;
    QVector<int> items_;
    int count_ = 0;
};

} // namespace latentlab
