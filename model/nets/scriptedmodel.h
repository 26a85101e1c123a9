#pragma once
// ScriptedModel: an autoencoder trained elsewhere and saved as TorchScript (torch.jit.script,
// then .save), which LatentLab explores like one of its own but does not train. The interface
// it must follow (docs/INTEROP.md):
//   encode(x) -> z    images [N, C, H, W] in [0, 1] to codes [N, D]
//   decode(z) -> x    codes [N, D] to images [N, C, H, W]
//   latent_dim: int, image_shape: List[int] (C, H, W)
//   optional: class_names: List[str]; prior: str (a prior LatentLab knows, e.g. "mixture10");
//   decode_output: "pixels" (the default; clamped to [0, 1]) or "logits" (a sigmoid of them).
// It runs on the CPU. The interface's threads (the GUI, the decoding threads, the session)
// call its methods at the same time: LibTorch runs a module's methods concurrently, which is
// safe as long as they do not write to the module's attributes (docs/INTEROP.md says so).

#include "model/config.h"
#include "model/explorable.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace torch::jit {
struct Module;
}

namespace latentlab {

// What a file that starts like a zip archive holds, by the records PyTorch writes into it.
enum class TorchArchive {
    Script,   // torch.jit.save / ScriptModule.save: code and constants
    Pickle,   // torch.save: data only (a state_dict or a pickled module)
    OtherZip, // a zip archive that LibTorch's reader does not take as PyTorch's
    NotZip,   // not a zip archive (a LatentLab checkpoint, perhaps), or unreadable
};
TorchArchive torchArchiveKind(const std::string &path);
// The first bytes of a zip archive, which PyTorch's files are.
bool startsLikeZip(std::string_view head);

class ScriptedModel : public ExplorableModel {
public:
    // Loads `path` and checks the interface on a probe batch of two items. Throws Error with
    // one sentence naming the file and what is missing or wrong.
    static std::shared_ptr<const ScriptedModel> open(const std::string &path);
    ~ScriptedModel() override;

    // Codes [N, D] of images [N, C, H, W], float, on the CPU.
    torch::Tensor encode(const torch::Tensor &images) const override;
    // Images in [0, 1]: the module's pixels clamped, or the sigmoid of its logits. No labels.
    torch::Tensor decode(const torch::Tensor &codes,
                         const torch::Tensor &labels = {}) const override;
    // The module's decode output as it is: pixels or logits (logits()).
    torch::Tensor decodeRaw(const torch::Tensor &codes) const;

    const std::string &path() const { return path_; }
    int latentDim() const { return latentDim_; }
    int codeSize() const override { return latentDim_; }
    int channels() const override { return channels_; }
    int height() const override { return height_; }
    int width() const override { return width_; }
    bool logits() const { return logits_; }
    std::string prior() const override { return prior_; } // empty when none is named
    std::vector<std::string> classNames() const override { return classNames_; }
    bool trainable() const override { return false; }
    std::string description() const override { return "TorchScript"; }

    // The configuration that describes it to the rest of LatentLab: a plain autoencoder whose
    // networks come from `script`, with the code size, image shape and prior above. `data` is
    // the demo set of its image shape (mnist for 1x28x28, lines for 1x32x32) or empty.
    ModelConfig config() const;

private:
    explicit ScriptedModel(const std::string &path);
    torch::Tensor call(const char *method, const torch::Tensor &input) const;

    std::string path_;
    std::unique_ptr<torch::jit::Module> module_;
    int latentDim_ = 0, channels_ = 0, height_ = 0, width_ = 0;
    bool logits_ = false;
    std::string prior_;
    std::vector<std::string> classNames_;
};

} // namespace latentlab
