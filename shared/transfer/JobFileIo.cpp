#include "shared/transfer/JobFileIo.h"

#include "shared/transfer/SinkFile.h"
#include "shared/transfer/SourceFile.h"

#include <utility>

namespace parley::transfer {

namespace {

using Lane = JobRunner::Lane;

class JobSource final : public FileSource {
public:
    JobSource(JobFileIo& io, std::shared_ptr<SourceFile> file) : m_io(io), m_file(std::move(file)) {}
    ~JobSource() override {
        // The last reference goes on the job thread, so the file is closed there, after
        // the reads still queued.
        m_io.runner().run(Lane::Stream, [file = std::move(m_file)]() mutable { file.reset(); });
    }
    JobSource(const JobSource&) = delete;
    JobSource& operator=(const JobSource&) = delete;

    void read(std::uint64_t offset, std::uint32_t length, std::function<void(ReadResult)> done) override {
        m_io.submit<ReadResult>(
            Lane::Stream, [file = m_file, offset, length] { return file->read(offset, length); }, std::move(done));
    }

private:
    JobFileIo& m_io;
    std::shared_ptr<SourceFile> m_file;
};

class JobSink final : public FileSink {
public:
    JobSink(JobFileIo& io, std::shared_ptr<SinkFile> file) : m_io(io), m_file(std::move(file)) {}
    ~JobSink() override {
        m_io.runner().run(Lane::Stream, [file = std::move(m_file)]() mutable { file.reset(); });
    }
    JobSink(const JobSink&) = delete;
    JobSink& operator=(const JobSink&) = delete;

    void write(std::uint64_t offset, std::vector<std::uint8_t> data, std::function<void(WriteResult)> done) override {
        auto shared = std::make_shared<std::vector<std::uint8_t>>(std::move(data));
        m_io.submit<WriteResult>(
            Lane::Stream, [file = m_file, offset, shared] { return file->write(offset, *shared); }, std::move(done));
    }
    void recordBlock(const BlockHash& block) override {
        m_io.runner().run(Lane::Stream, [file = m_file, block] { file->recordBlock(block); });
    }
    void finish(std::function<void(FinishResult)> done) override {
        m_io.submit<FinishResult>(
            Lane::Stream, [file = m_file] { return file->finish(); }, std::move(done));
    }
    void close(bool deletePart) override {
        m_io.runner().run(Lane::Stream, [file = m_file, deletePart] { file->close(deletePart); });
    }

private:
    JobFileIo& m_io;
    std::shared_ptr<SinkFile> m_file;
};

}  // namespace

const char* toString(IoError error) {
    switch (error) {
    case IoError::None: return "none";
    case IoError::NotFound: return "not found";
    case IoError::ReadFailed: return "read failed";
    case IoError::WriteFailed: return "write failed";
    case IoError::NoSpace: return "no space";
    case IoError::InvalidName: return "invalid name";
    }
    return "unknown";
}

const char* describeForPeer(IoError error) {
    switch (error) {
    case IoError::None: return "no error";
    case IoError::NotFound: return "the file or its folder is gone";
    case IoError::ReadFailed: return "the file changed or could not be read";
    case IoError::WriteFailed: return "the file could not be written";
    case IoError::NoSpace: return "not enough free space for the file";
    case IoError::InvalidName: return "the offered name leaves no usable file name";
    }
    return "an unknown file error";
}

JobFileIo::JobFileIo(JobRunner& runner, Sha256Factory makeSha256)
    : m_runner(runner), m_makeSha256(std::move(makeSha256)), m_alive(std::make_shared<bool>(true)) {}

JobFileIo::~JobFileIo() { *m_alive = false; }

void JobFileIo::hashFile(const std::filesystem::path& path, std::function<void(HashResult)> done) {
    submit<HashResult>(
        Lane::Bulk, [path, make = m_makeSha256] { return hashWholeFile(path, make); }, std::move(done));
}

std::unique_ptr<FileSource> JobFileIo::openSource(const std::filesystem::path& path, std::uint64_t size,
                                                  std::uint32_t blockSize) {
    return std::make_unique<JobSource>(*this, std::make_shared<SourceFile>(path, size, blockSize, m_makeSha256));
}

void JobFileIo::openSink(SinkRequest request, std::function<void(SinkResult)> done) {
    // The sink's jobs go to the Stream lane; opening (maybe re-reading a large .part) is Bulk.
    submit<OpenedSink>(
        Lane::Bulk, [request = std::move(request), make = m_makeSha256] { return SinkFile::open(request, make); },
        [this, done = std::move(done)](OpenedSink sink) {
            SinkResult result;
            result.error = sink.error;
            result.text = std::move(sink.text);
            result.offset = sink.offset;
            result.partPath = std::move(sink.partPath);
            result.record = std::move(sink.record);
            if (sink.file) {
                result.sink = std::make_shared<JobSink>(*this, std::move(sink.file));
            }
            done(std::move(result));
        });
}

void JobFileIo::removePart(const ResumeRecord& record) {
    m_runner.run(Lane::Stream, [record] { removePartOf(record); });
}

void JobFileIo::findResumable(const std::filesystem::path& stateDirectory,
                              std::function<void(std::vector<ResumeRecord>)> done) {
    submit<std::vector<ResumeRecord>>(
        Lane::Bulk, [stateDirectory] { return scanResumable(stateDirectory); }, std::move(done));
}

}  // namespace parley::transfer
