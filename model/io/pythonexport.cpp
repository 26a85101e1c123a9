#include "model/io/pythonexport.h"

#include "model/io/atomicfile.h"

#include <torch/serialize.h>
#include <torch/torch.h>

namespace latentlab {

void exportForPython(const ModelConfig &config, Autoencoder &model, int64_t step,
                     const std::string &path) {
    torch::NoGradGuard noGrad;
    c10::Dict<std::string, at::Tensor> weights;
    for (const auto &p : model->named_parameters())
        weights.insert(p.key(), p.value().detach().to(torch::kCPU).contiguous().clone());
    for (const auto &b : model->named_buffers())
        weights.insert(b.key(), b.value().detach().to(torch::kCPU).contiguous().clone());

    c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
    root.insert(std::string("format"), std::string("latentlab-python"));
    root.insert(std::string("version"), int64_t(kPythonExportVersion));
    root.insert(std::string("config"), config.toJsonText());
    root.insert(std::string("step"), step);
    root.insert(std::string("state_dict"), weights);
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(root));
    writeFileAtomically(path, std::string(bytes.begin(), bytes.end()), "the export for Python");
}

} // namespace latentlab
