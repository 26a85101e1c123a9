#include "ui/explorer/nearestitems.h"

#include "model/analysis/layout.h"
#include "ui/figures/imageconvert.h"

#include <torch/torch.h>

namespace latentlab {

QStringList NearestItems::captions() const {
    QStringList list;
    for (int i = 0; i < items.size(); ++i)
        list << QStringLiteral("#%1\n%2").arg(items[i]).arg(distances[i], 0, 'g', 3);
    return list;
}

NearestItems nearestItems(const torch::Tensor &codes, const torch::Tensor &images,
                          const torch::Tensor &code, int count, int self) {
    NearestItems nearest;
    // Rows without a code (NaN: items outside the live sample while training) are skipped.
    torch::Tensor rows = codes.to(torch::kFloat);
    torch::Tensor items; // row of `rows` -> item, when some are skipped
    const torch::Tensor has = rows.isfinite().all(1);
    if (!has.all().item<bool>()) {
        items = has.nonzero().flatten();
        rows = rows.index_select(0, items);
    }
    const int64_t n = rows.size(0);
    const int k = int(std::min<int64_t>(n, count + (self >= 0 ? 1 : 0)));
    if (k <= 0)
        return nearest;
    auto [index, distance] = nearestNeighbours(rows, code.to(torch::kFloat).reshape({1, -1}), k);
    const auto found = (items.defined() ? items.index_select(0, index[0]) : index[0]).contiguous();
    const auto far = distance[0].to(torch::kDouble).contiguous();
    for (int i = 0; i < k && nearest.items.size() < count; ++i) {
        const int item = int(found[i].item<int64_t>());
        if (item == self)
            continue;
        nearest.items << item;
        nearest.distances << far.data_ptr<double>()[i];
        nearest.images << toQImage(images[item]);
    }
    return nearest;
}

} // namespace latentlab
