#pragma once
// Priors the codes are pushed toward. Each can sample codes (optionally the component that
// belongs to a given label, for the label-conditioned AAE) and evaluate the density of its
// marginal over the first two code dimensions, which the latent view draws under the scatter.

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace latentlab {

struct PriorSample {
    torch::Tensor codes;      // float [n, dim]
    torch::Tensor components; // int64 [n]: the component each code came from (0 if only one)
};

class Prior {
public:
    explicit Prior(int dim)
        : dim_(dim) {}
    virtual ~Prior() = default;

    int dim() const { return dim_; }
    virtual std::string spec() const = 0;
    // How many components a label can select (1 for priors without components).
    virtual int components() const { return 1; }

    virtual PriorSample sample(int64_t n, at::Generator &gen) const = 0;
    // One code per label; a label < 0 means "any component". Labels select component
    // label % components(). The default ignores the labels.
    virtual torch::Tensor sampleForLabels(const torch::Tensor &labels, at::Generator &gen) const;

    // Density of the marginal over dims 0 and 1 at points [n, 2] (float): returns [n].
    virtual torch::Tensor density2d(const torch::Tensor &points) const = 0;
    // log p(z) of full codes [n, dim]: [n]. Gaussian and mixture priors have one; the others
    // throw Error (the VAE's KL term needs it).
    virtual torch::Tensor logDensity(const torch::Tensor &codes) const;
    // s for an isotropic Gaussian N(0, s^2 I) (closed-form KL), else 0.
    virtual double isotropicStd() const { return 0; }
    // Per-component densities [n, components()] that sum to density2d(); for tinting overlays.
    virtual torch::Tensor componentDensity2d(const torch::Tensor &points) const;
    // density2d() on an nx by ny grid over [x0, x1] x [y0, y1], row-major from the bottom-left
    // (as widgets' LatentPlot::setDensity() takes it).
    std::vector<double> densityGrid(int nx, int ny, double x0, double x1, double y0,
                                    double y1) const;

private:
    int dim_;
};

// spec: gaussian | gaussian:STD | mixture10 | mixture:K | swissroll | uniform | uniform:HALF |
// categorical (K = dim). Throws Error when the spec is unknown or does not fit `dim`.
std::unique_ptr<Prior> makePrior(const std::string &spec, int dim);

} // namespace latentlab
