#include "model/nets/scriptedmodel.h"

#include "model/data/dataset.h"
#include "model/error.h"
#include "model/nets/prior.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/script.h>
#include <torch/version.h>

#include <fstream>
#include <sstream>

namespace latentlab {

namespace {

std::string shapeText(at::IntArrayRef sizes) {
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < sizes.size(); ++i)
        out << (i ? ", " : "") << sizes[i];
    out << ']';
    return out.str();
}

} // namespace

bool startsLikeZip(std::string_view head) {
    return head.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

TorchArchive torchArchiveKind(const std::string &path) {
    {
        std::ifstream in(path, std::ios::binary);
        char head[4] = {};
        if (!in.read(head, 4) || !startsLikeZip(std::string_view(head, 4)))
            return TorchArchive::NotZip;
    }
    try {
        caffe2::serialize::PyTorchStreamReader reader(path);
        if (reader.hasRecord("constants.pkl"))
            return TorchArchive::Script;
        for (const std::string &record : reader.getAllRecords())
            if (record.rfind("code/", 0) == 0)
                return TorchArchive::Script;
        return reader.hasRecord("data.pkl") ? TorchArchive::Pickle : TorchArchive::OtherZip;
    } catch (const std::exception &) {
        return TorchArchive::OtherZip; // a zip archive PyTorch did not write
    }
}

std::shared_ptr<const ScriptedModel> ScriptedModel::open(const std::string &path) {
    return std::shared_ptr<const ScriptedModel>(new ScriptedModel(path));
}

namespace {

// The module at `path`, in eval mode, or Error saying what the file is instead.
std::unique_ptr<torch::jit::Module> loadScript(const std::string &path) {
    switch (torchArchiveKind(path)) {
    case TorchArchive::Script:
        break;
    case TorchArchive::Pickle:
        throw Error(path + " was written by torch.save, not as TorchScript: save the model with "
                           "torch.jit.script(model).save(path) (docs/INTEROP.md).");
    case TorchArchive::OtherZip:
        throw Error(path + " is a zip archive, but not one that PyTorch wrote.");
    case TorchArchive::NotZip:
        throw Error(path + " cannot be read as a TorchScript model (it is missing, unreadable or "
                           "not a zip archive).");
    }
    std::unique_ptr<torch::jit::Module> module;
    try {
        module = std::make_unique<torch::jit::Module>(torch::jit::load(path, torch::kCPU));
    } catch (const std::exception &e) {
        throw Error(path + ": LibTorch " TORCH_VERSION " cannot load this TorchScript model (" +
                    oneLine(e, false) + ").");
    }
    module->eval();
    return module;
}

// What the module lacks of the interface LatentLab reads.
[[noreturn]] void failInterface(const std::string &path, const std::string &what) {
    throw Error(path + ": " + what + " (the interface LatentLab reads: docs/INTEROP.md).");
}

// `image_shape`: [C, H, W] with 1 or 3 channels and sides of 1 to 4096.
std::vector<int64_t> readImageShape(const torch::jit::Module &module, const std::string &path) {
    if (!module.hasattr("image_shape") || !module.attr("image_shape").isIntList())
        failInterface(path,
                      "the module's attribute `image_shape` is missing or not a List[int] of C, "
                      "H, W");
    const std::vector<int64_t> shape = module.attr("image_shape").toIntVector();
    if (shape.size() != 3 || (shape[0] != 1 && shape[0] != 3) || shape[1] < 1 || shape[2] < 1 ||
        shape[1] > 4096 || shape[2] > 4096)
        failInterface(path, "`image_shape` is " + shapeText(shape) +
                                "; it must be [C, H, W] with 1 or 3 channels and sides of 1 to "
                                "4096");
    return shape;
}

// `class_names`, when the module has them.
std::vector<std::string> readClassNames(const torch::jit::Module &module, const std::string &path) {
    std::vector<std::string> names;
    if (!module.hasattr("class_names"))
        return names;
    const c10::IValue list = module.attr("class_names");
    if (!list.isList())
        failInterface(path, "`class_names` is not a list of strings");
    for (const c10::IValue &name : list.toListRef()) {
        if (!name.isString())
            failInterface(path, "`class_names` is not a list of strings");
        names.push_back(name.toStringRef());
    }
    return names;
}

} // namespace

ScriptedModel::ScriptedModel(const std::string &path)
    : path_(path)
    , module_(loadScript(path)) {
    auto fail = [&](const std::string &what) { failInterface(path, what); };
    for (const char *method : {"encode", "decode"})
        if (!module_->find_method(method))
            fail(std::string("the module has no `") + method + "` method");
    if (!module_->hasattr("latent_dim") || !module_->attr("latent_dim").isInt())
        fail("the module's attribute `latent_dim` is missing or not an int");
    const int64_t latent = module_->attr("latent_dim").toInt();
    if (latent < 1 || latent > 4096)
        fail("`latent_dim` is " + std::to_string(latent) + "; it must be 1 to 4096");
    latentDim_ = int(latent);
    const std::vector<int64_t> shape = readImageShape(*module_, path);
    channels_ = int(shape[0]);
    height_ = int(shape[1]);
    width_ = int(shape[2]);
    classNames_ = readClassNames(*module_, path);
    // A `prior` that is not a string is the model's own (a submodule, say): not one to draw.
    if (module_->hasattr("prior") && module_->attr("prior").isString()) {
        prior_ = module_->attr("prior").toStringRef();
        try {
            makePrior(prior_, latentDim_);
        } catch (const Error &e) {
            fail(std::string("its `prior`: ") + e.what());
        }
    }
    if (module_->hasattr("decode_output")) {
        const c10::IValue output = module_->attr("decode_output");
        const std::string text = output.isString() ? output.toStringRef() : "";
        if (text != "pixels" && text != "logits")
            fail("`decode_output` must be \"pixels\" or \"logits\"");
        logits_ = text == "logits";
    }
    // A probe: two items through each method, to name a wrong shape now rather than in a view.
    const torch::Tensor images = torch::rand({2, channels_, height_, width_});
    const torch::Tensor codes = encode(images);
    if (codes.dim() != 2 || codes.size(0) != 2 || codes.size(1) != latentDim_)
        fail("encode gave " + shapeText(codes.sizes()) + " for a probe batch " +
             shapeText(images.sizes()) + "; expected [2, " + std::to_string(latentDim_) + "]");
    const torch::Tensor decoded = decodeRaw(codes);
    if (decoded.sizes() != images.sizes())
        fail("decode gave " + shapeText(decoded.sizes()) + " for probe codes " +
             shapeText(codes.sizes()) + "; expected " + shapeText(images.sizes()));
}

ScriptedModel::~ScriptedModel() = default;

torch::Tensor ScriptedModel::call(const char *method, const torch::Tensor &input) const {
    torch::NoGradGuard noGrad;
    c10::IValue out;
    try {
        out = module_->get_method(method)({input.to(torch::kCPU, torch::kFloat).contiguous()});
    } catch (const std::exception &e) {
        throw Error(path_ + ": " + method + " failed on " + shapeText(input.sizes()) + " (" +
                    oneLine(e, true) + ").");
    }
    if (!out.isTensor())
        throw Error(path_ + ": " + method + " returned a " + out.tagKind() +
                    ", not a tensor (docs/INTEROP.md).");
    return out.toTensor().to(torch::kFloat);
}

torch::Tensor ScriptedModel::encode(const torch::Tensor &images) const {
    return call("encode", pixels(images));
}

torch::Tensor ScriptedModel::decode(const torch::Tensor &codes, const torch::Tensor &) const {
    const torch::Tensor raw = decodeRaw(codes);
    return logits_ ? torch::sigmoid(raw) : raw.clamp(0, 1);
}

torch::Tensor ScriptedModel::decodeRaw(const torch::Tensor &codes) const {
    return call("decode", codes);
}

ModelConfig ScriptedModel::config() const {
    ModelConfig c = ModelConfig::forKind(ModelKind::Autoencoder);
    c.script = path_;
    c.arch = Architecture::Mlp;
    c.latent = latentDim_;
    c.channels = channels_;
    c.height = height_;
    c.width = width_;
    c.prior = prior_;
    c.numClasses = classNames_.empty() ? 10 : int(classNames_.size());
    c.linearOutput = !logits_;
    c.loss = logits_ ? "bce" : "mse";
    c.device = "cpu";
    if (channels_ == 1 && height_ == 28 && width_ == 28)
        c.data = "mnist";
    else if (channels_ == 1 && height_ == 32 && width_ == 32)
        c.data = "lines";
    else
        c.data.clear();
    return c;
}

} // namespace latentlab
