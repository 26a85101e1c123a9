#include "model/nets/prior.h"

#include "model/error.h"
#include "model/numbers.h"

#include <torch/torch.h>

#include <cmath>

namespace latentlab {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Isotropic or axis-scaled 2-D Gaussian density at points for one centre.
torch::Tensor gaussian2d(const torch::Tensor &p, double mx, double my, double sx, double sy,
                         double angle) {
    const double c = std::cos(angle), s = std::sin(angle);
    torch::Tensor dx = p.select(1, 0) - mx, dy = p.select(1, 1) - my;
    torch::Tensor u = (c * dx + s * dy) / sx;  // along the component's first axis
    torch::Tensor v = (-s * dx + c * dy) / sy; // across it
    return torch::exp(-0.5 * (u * u + v * v)) / (2 * kPi * sx * sy);
}

class GaussianPrior : public Prior {
public:
    GaussianPrior(int dim, double std)
        : Prior(dim)
        , std_(std) {}
    std::string spec() const override { return std_ == 1.0 ? "gaussian" : "gaussian:" + fmt(); }
    PriorSample sample(int64_t n, at::Generator &gen) const override {
        return {torch::randn({n, dim()}, gen, torch::kFloat) * std_,
                torch::zeros({n}, torch::kLong)};
    }
    torch::Tensor density2d(const torch::Tensor &p) const override {
        return gaussian2d(p, 0, 0, std_, std_, 0);
    }
    double isotropicStd() const override { return std_; }
    torch::Tensor logDensity(const torch::Tensor &z) const override {
        return -0.5 * (z / std_).pow(2).sum(1) - z.size(1) * std::log(std_ * std::sqrt(2 * kPi));
    }

private:
    std::string fmt() const { return formatNumber(std_); }
    double std_;
};

// K components with means evenly spaced on a circle in dims (0, 1), each stretched along its
// radius, the layout of the AAE paper's figures; dims beyond 2 are N(0, radial^2).
class MixturePrior : public Prior {
public:
    MixturePrior(int dim, int k)
        : Prior(dim)
        , k_(k) {}
    std::string spec() const override {
        return k_ == 10 ? "mixture10" : "mixture:" + std::to_string(k_);
    }
    int components() const override { return k_; }

    PriorSample sample(int64_t n, at::Generator &gen) const override {
        torch::Tensor comp = torch::randint(k_, {n}, gen, torch::kLong);
        return {place(comp, gen), comp};
    }
    torch::Tensor sampleForLabels(const torch::Tensor &labels, at::Generator &gen) const override {
        torch::Tensor any = torch::randint(k_, labels.sizes(), gen, torch::kLong);
        torch::Tensor comp = torch::where(labels >= 0, labels.remainder(k_), any);
        return place(comp, gen);
    }
    torch::Tensor density2d(const torch::Tensor &p) const override {
        return componentDensity2d(p).sum(1);
    }
    torch::Tensor logDensity(const torch::Tensor &z) const override {
        // Each component: a rotated Gaussian in dims 0-1 (dims 1.. absent for 1-D codes),
        // N(0, radial^2) in the others; then the log of their average.
        std::vector<torch::Tensor> parts;
        const torch::Tensor rest =
            z.size(1) > 2 ? -0.5 * (z.slice(1, 2) / kRadial).pow(2).sum(1) -
                                double(z.size(1) - 2) * std::log(kRadial * std::sqrt(2 * kPi))
                          : torch::zeros({z.size(0)}, z.options());
        for (int k = 0; k < k_; ++k) {
            const double a = angle(k), c = std::cos(a), s = std::sin(a);
            const torch::Tensor dx = z.select(1, 0) - kRadius * c;
            const torch::Tensor dy =
                z.size(1) > 1 ? z.select(1, 1) - kRadius * s : torch::zeros_like(dx);
            const torch::Tensor u = (c * dx + s * dy) / kRadial,
                                v = (-s * dx + c * dy) / kTangential;
            const double norm = z.size(1) > 1 ? std::log(2 * kPi * kRadial * kTangential)
                                              : std::log(std::sqrt(2 * kPi) * kRadial);
            parts.push_back(-0.5 * (u * u + (z.size(1) > 1 ? v * v : torch::zeros_like(v))) - norm +
                            rest);
        }
        return torch::logsumexp(torch::stack(parts, 1), 1) - std::log(double(k_));
    }
    torch::Tensor componentDensity2d(const torch::Tensor &p) const override {
        std::vector<torch::Tensor> cols;
        for (int k = 0; k < k_; ++k) {
            const double a = angle(k);
            cols.push_back(gaussian2d(p, kRadius * std::cos(a), kRadius * std::sin(a), kRadial,
                                      kTangential, a) /
                           k_);
        }
        return torch::stack(cols, 1);
    }

private:
    static constexpr double kRadius = 4.0, kRadial = 0.8, kTangential = 0.25;
    double angle(int64_t k) const { return 2 * kPi * double(k) / k_; }

    torch::Tensor place(const torch::Tensor &comp, at::Generator &gen) const {
        const int64_t n = comp.size(0);
        torch::Tensor e = torch::randn({n, dim()}, gen, torch::kFloat);
        torch::Tensor a = comp.to(torch::kFloat) * float(2 * kPi / k_);
        torch::Tensor r = kRadius + kRadial * e.select(1, 0);
        torch::Tensor t = kTangential * (dim() > 1 ? e.select(1, 1) : torch::zeros({n}));
        torch::Tensor x = r * torch::cos(a) - t * torch::sin(a);
        torch::Tensor out = e * kRadial;
        out.select(1, 0).copy_(x);
        if (dim() > 1)
            out.select(1, 1).copy_(r * torch::sin(a) + t * torch::cos(a));
        return out;
    }
    int k_;
};

// A 2-D spiral of 1.5 turns; label k owns the k-th of `segments` equal parts of its length.
class SwissRollPrior : public Prior {
public:
    explicit SwissRollPrior(int segments)
        : Prior(2)
        , segments_(segments) {}
    std::string spec() const override { return "swissroll"; }
    int components() const override { return segments_; }

    PriorSample sample(int64_t n, at::Generator &gen) const override {
        torch::Tensor comp = torch::randint(segments_, {n}, gen, torch::kLong);
        return {place(comp, gen), comp};
    }
    torch::Tensor sampleForLabels(const torch::Tensor &labels, at::Generator &gen) const override {
        torch::Tensor any = torch::randint(segments_, labels.sizes(), gen, torch::kLong);
        return place(torch::where(labels >= 0, labels.remainder(segments_), any), gen);
    }
    torch::Tensor density2d(const torch::Tensor &p) const override {
        return componentDensity2d(p).sum(1);
    }
    torch::Tensor componentDensity2d(const torch::Tensor &p) const override {
        // The roll is a line smeared by noise: integrate along it with a fine Riemann sum.
        constexpr int kSteps = 40;
        std::vector<torch::Tensor> cols;
        for (int k = 0; k < segments_; ++k) {
            torch::Tensor acc = torch::zeros({p.size(0)});
            for (int i = 0; i < kSteps; ++i) {
                const double u = (k + (i + 0.5) / kSteps) / segments_;
                const auto [x, y] = curve(u);
                acc += gaussian2d(p, x, y, kNoise, kNoise, 0);
            }
            cols.push_back(acc / double(kSteps * segments_));
        }
        return torch::stack(cols, 1);
    }

private:
    static constexpr double kNoise = 0.15;
    static std::pair<double, double> curve(double u) {
        const double r = 0.5 + 3.5 * u, a = 3 * kPi * u;
        return {r * std::cos(a), r * std::sin(a)};
    }
    torch::Tensor place(const torch::Tensor &comp, at::Generator &gen) const {
        const int64_t n = comp.size(0);
        torch::Tensor u =
            (comp.to(torch::kFloat) + torch::rand({n}, gen, torch::kFloat)) / float(segments_);
        torch::Tensor r = 0.5 + 3.5 * u, a = 3 * kPi * u;
        torch::Tensor xy = torch::stack({r * torch::cos(a), r * torch::sin(a)}, 1);
        return xy + kNoise * torch::randn({n, 2}, gen, torch::kFloat);
    }
    int segments_;
};

class UniformPrior : public Prior {
public:
    UniformPrior(int dim, double half)
        : Prior(dim)
        , half_(half) {}
    std::string spec() const override {
        return half_ == 2.0 ? "uniform" : "uniform:" + formatNumber(half_);
    }
    PriorSample sample(int64_t n, at::Generator &gen) const override {
        return {(torch::rand({n, dim()}, gen, torch::kFloat) * 2 - 1) * half_,
                torch::zeros({n}, torch::kLong)};
    }
    torch::Tensor density2d(const torch::Tensor &p) const override {
        torch::Tensor inside = (p.abs() <= half_).all(1).to(torch::kFloat);
        return inside / float(4 * half_ * half_);
    }

private:
    double half_;
};

// One-hot codes, uniform over the K = dim categories.
class CategoricalPrior : public Prior {
public:
    explicit CategoricalPrior(int dim)
        : Prior(dim) {}
    std::string spec() const override { return "categorical"; }
    int components() const override { return dim(); }
    PriorSample sample(int64_t n, at::Generator &gen) const override {
        torch::Tensor comp = torch::randint(dim(), {n}, gen, torch::kLong);
        return {torch::one_hot(comp, dim()).to(torch::kFloat), comp};
    }
    torch::Tensor sampleForLabels(const torch::Tensor &labels, at::Generator &gen) const override {
        torch::Tensor any = torch::randint(dim(), labels.sizes(), gen, torch::kLong);
        torch::Tensor comp = torch::where(labels >= 0, labels.remainder(dim()), any);
        return torch::one_hot(comp, dim()).to(torch::kFloat);
    }
    torch::Tensor density2d(const torch::Tensor &p) const override {
        // A discrete prior has no density; the overlay shows its atoms as samples instead.
        return torch::zeros({p.size(0)});
    }
};

double positiveNumber(const std::string &spec, const std::string &text) {
    const std::optional<double> v = parseNumber(text);
    if (!v || *v <= 0)
        throw Error("prior '" + spec + "': '" + text + "' is not a positive number.");
    return *v;
}

} // namespace

torch::Tensor Prior::sampleForLabels(const torch::Tensor &labels, at::Generator &gen) const {
    return sample(labels.size(0), gen).codes;
}

torch::Tensor Prior::logDensity(const torch::Tensor &) const {
    throw Error("prior '" + spec() +
                "' has no density in code space; the VAE needs gaussian or "
                "mixture.");
}

torch::Tensor Prior::componentDensity2d(const torch::Tensor &points) const {
    return density2d(points).unsqueeze(1);
}

std::vector<double> Prior::densityGrid(int nx, int ny, double x0, double x1, double y0,
                                       double y1) const {
    const torch::Tensor xs = torch::linspace(x0, x1, nx);
    const torch::Tensor ys = torch::linspace(y0, y1, ny);
    auto grid = torch::meshgrid({ys, xs}, "ij"); // row j = y, column i = x
    const torch::Tensor points = torch::stack({grid[1].flatten(), grid[0].flatten()}, 1);
    const torch::Tensor d = density2d(points).to(torch::kDouble).contiguous();
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

std::unique_ptr<Prior> makePrior(const std::string &spec, int dim) {
    if (dim < 1)
        throw Error("prior '" + spec + "': the code size must be at least 1.");
    const auto colon = spec.find(':');
    const std::string name = spec.substr(0, colon);
    const std::string arg = colon == std::string::npos ? "" : spec.substr(colon + 1);

    if (name == "gaussian")
        return std::make_unique<GaussianPrior>(dim, arg.empty() ? 1.0 : positiveNumber(spec, arg));
    if (name == "mixture10" && arg.empty())
        return std::make_unique<MixturePrior>(dim, 10);
    if (name == "mixture") {
        const double k = arg.empty() ? 10 : positiveNumber(spec, arg);
        if (k != std::floor(k) || k < 1 || k > 1000)
            throw Error("prior '" + spec + "': the number of components must be 1 to 1000.");
        return std::make_unique<MixturePrior>(dim, int(k));
    }
    if (name == "swissroll") {
        if (dim != 2)
            throw Error("prior 'swissroll' is 2-D; the code size is " + std::to_string(dim) +
                        " (use --latent 2).");
        return std::make_unique<SwissRollPrior>(10);
    }
    if (name == "uniform")
        return std::make_unique<UniformPrior>(dim, arg.empty() ? 2.0 : positiveNumber(spec, arg));
    if (name == "categorical")
        return std::make_unique<CategoricalPrior>(dim);
    throw Error("unknown prior '" + spec +
                "'; expected gaussian, mixture10, mixture:K, swissroll, uniform or categorical.");
}

} // namespace latentlab
