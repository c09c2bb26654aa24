// Evaluates an ONNX file with onnxruntime (an ONNX runtime that knows
// nothing of goldmine), for tests/estimators/onnx_export_test.cc.
//   node run_model.js MODEL.onnx INPUTS.json OUTPUTS.json
// INPUTS.json: {"NAME": {"dims": [n, k], "data": [row-major floats]}, ...};
// OUTPUTS.json gets every output of the model in the same form.
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [modelPath, inputsPath, outputsPath] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(modelPath);
  const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  const feeds = {};
  for (const [name, value] of Object.entries(inputs)) {
    feeds[name] = new ort.Tensor('float32', Float32Array.from(value.data), value.dims);
  }
  const results = await session.run(feeds);
  const outputs = {};
  for (const name of session.outputNames) {
    outputs[name] = {dims: results[name].dims, data: Array.from(results[name].data)};
  }
  fs.writeFileSync(outputsPath, JSON.stringify(outputs));
}

main().catch((error) => {
  console.error(String(error));
  process.exit(1);
});
